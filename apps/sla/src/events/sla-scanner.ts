import { setTimeout as sleep } from 'node:timers/promises';
import { event, type Clock, type UnitOfWork } from '@servicecenter/platform-events';
import { SlaBreached, SlaWarningReached } from '@servicecenter/contracts';
import type { Logger } from '@servicecenter/platform-logging';
import type { DataSource } from 'typeorm';
import { evaluate } from '../domain/clocks';
import { targetLabel as label } from '../domain/clock-timeline';
import { dueThresholds } from '../domain/warnings';
import { RequestSlaRepository } from '../persistence/request-sla.repository';
import { SlaStateRepository, thresholdKey } from '../persistence/sla-state.repository';
import type { SlaTimelineEntry } from '../domain/request-sla';
import type { AgreementBook } from '../persistence/agreement.repository';

export interface SlaScannerOptions {
  dataSource: DataSource;
  uow: UnitOfWork;
  clock: Clock;
  logger: Logger;
  /** Each request is evaluated with the agreement version (and calendar) its state recorded. */
  agreements: AgreementBook;
  actor: string;
  pollMs: number;
  batchSize?: number;
  /** Counts what was published, after its transaction committed (servicecenter_sla_*_total). */
  metrics?: SlaScannerMetrics;
}

export interface SlaScannerMetrics {
  reached(level: 'warning' | 'breach', kind: string, priority: string): void;
}

/**
 * Publishes SLA warnings and breaches. Each clock row carries the instant of its next
 * threshold; an indexed scan finds the due ones (no timer per clock). Each request is
 * handled in its own transaction holding its state row (SKIP LOCKED: another replica takes
 * the others), and a threshold is published only if its sla_warning row could be inserted,
 * in the same transaction as the event's outbox row: once, across replicas and restarts.
 */
export class SlaScanner {
  private running = false;
  private loop?: Promise<void>;
  private idle?: AbortController;

  constructor(private readonly options: SlaScannerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.idle?.abort();
    await this.loop;
  }

  /** One scan; returns how many warnings and breaches were published. Public for tests. */
  async scanOnce(): Promise<number> {
    const now = this.options.clock();
    const due = await new SlaStateRepository(this.options.dataSource.manager).dueClocks(
      now,
      this.options.batchSize ?? 200,
    );
    const requestIds = [...new Set(due.map((d) => d.requestId))];
    let published = 0;
    for (const requestId of requestIds) {
      if (!this.running && this.loop) break;
      published += await this.scanRequest(requestId, now);
    }
    return published;
  }

  private async scanRequest(requestId: string, now: Date): Promise<number> {
    const counted: { level: 'warning' | 'breach'; kind: string; priority: string }[] = [];
    const published = await this.scanRequestIn(requestId, now, counted);
    for (const { level, kind, priority } of counted) this.options.metrics?.reached(level, kind, priority);
    return published;
  }

  private async scanRequestIn(
    requestId: string,
    now: Date,
    counted: { level: 'warning' | 'breach'; kind: string; priority: string }[],
  ): Promise<number> {
    return this.options.uow.run({ actor: this.options.actor, correlationId: `sla-scan:${requestId}` }, async (tx) => {
      counted.length = 0; // a retried transaction starts over
      const store = new SlaStateRepository(tx.manager);
      const locked = await store.lockIfFree(requestId);
      if (!locked) return 0;
      const { agreement, calendar } = await this.options.agreements.forState(locked.state, tx.manager);
      const published = await store.publishedThresholds(requestId);
      const timeline = new RequestSlaRepository(tx.manager);
      const checks: Parameters<SlaStateRepository['updateClockChecks']>[1] = [];
      const reached: {
        clock: (typeof locked.state.clocks)[number];
        view: ReturnType<typeof evaluate>;
        level: { threshold: number; at: Date };
      }[] = [];
      for (const clock of locked.state.clocks) {
        if (!clock.budget) continue;
        const { due, next } = dueThresholds(
          clock,
          agreement.thresholds,
          published.get(clock.kind) ?? [],
          now,
          calendar,
        );
        const view = evaluate(clock, now, calendar);
        for (const level of due) reached.push({ clock, view, level });
        checks.push({
          kind: clock.kind,
          state: view.state,
          nextCheckAt: next?.at ?? null,
          nextThreshold: next?.threshold ?? null,
        });
      }
      // One statement records every threshold reached (a scan after downtime finds many);
      // only those not recorded before (another replica, a retry) are published.
      const recorded = await store.recordPublishedMany(
        requestId,
        reached.map(({ clock, level }) => ({ kind: clock.kind, threshold: level.threshold, reachedAt: level.at })),
        now,
      );
      const entries: SlaTimelineEntry[] = [];
      for (const { clock, view, level } of reached) {
        if (!clock.budget || !recorded.has(thresholdKey(clock.kind, level.threshold))) continue;
        const facts = {
          requestId,
          ...locked.facts,
          type: locked.state.type,
          priority: locked.state.priority,
          kind: clock.kind,
          unit: clock.budget.unit,
          budgetMs: clock.budget.ms,
          dueAt: (view.breachedAt ?? view.dueAt ?? level.at).toISOString(),
        };
        if (level.threshold >= 1) {
          tx.publish(event(SlaBreached, requestId, { ...facts, breachedAt: level.at.toISOString() }));
          counted.push({ level: 'breach', kind: clock.kind, priority: locked.state.priority });
          entries.push({ requestId, at: level.at, kind: 'BREACHED', note: `${label(clock.kind)} target breached` });
        } else {
          tx.publish(
            event(SlaWarningReached, requestId, {
              ...facts,
              threshold: level.threshold,
              reachedAt: level.at.toISOString(),
            }),
          );
          counted.push({ level: 'warning', kind: clock.kind, priority: locked.state.priority });
          entries.push({
            requestId,
            at: level.at,
            kind: 'WARNED',
            note: `${Math.round(level.threshold * 100)}% of the ${label(clock.kind)} target used`,
          });
        }
      }
      await timeline.appendTimelines(entries);
      await store.updateClockChecks(requestId, checks);
      return entries.length;
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.scanOnce();
      } catch (error) {
        this.options.logger.warn({ err: error }, 'SLA scan failed; retrying at the next poll');
      }
      if (!this.running) break;
      // Aborted by stop(): no waiting out the rest of the poll interval.
      this.idle = new AbortController();
      await sleep(this.options.pollMs, undefined, { signal: this.idle.signal }).catch(() => undefined);
    }
  }
}
