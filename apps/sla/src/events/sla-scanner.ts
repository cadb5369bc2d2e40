import { setTimeout as sleep } from 'node:timers/promises';
import { event, type Clock, type UnitOfWork } from '@servicecenter/platform-events';
import { SlaBreached, SlaWarningReached } from '@servicecenter/contracts';
import type { Logger } from '@servicecenter/platform-logging';
import type { DataSource } from 'typeorm';
import { agreementOf, evaluate, type SlaClock } from '../domain/clocks';
import { targetLabel as label } from '../domain/clock-timeline';
import { dueThresholds } from '../domain/warnings';
import {
  SlaStateRepository,
  scanKey,
  type ClaimedRequest,
  type ScanReached,
} from '../persistence/sla-state.repository';
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

type Counted = { level: 'warning' | 'breach'; kind: string; priority: string };

/**
 * Publishes SLA warnings and breaches. Each clock row carries the instant of its next
 * threshold; an indexed scan finds the due ones (no timer per clock). A scan handles its
 * batch as a set in one transaction holding the claimed requests' state rows (SKIP LOCKED:
 * another replica takes the others), and a threshold is published only if its sla_warning
 * row could be inserted, in the same transaction as the event's outbox row: once, across
 * replicas and restarts.
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

  /**
   * One scan, as a set in one transaction; returns how many warnings and breaches were
   * published. One statement claims the due clocks' requests (SKIP LOCKED: another replica
   * takes the others) with what was published before, the thresholds are evaluated in
   * memory (each agreement version and its business calendar resolved once per scan), one
   * statement records the reached thresholds, their timeline entries and the clocks' next
   * checks, and the events go to the outbox in one insert, each with its request's
   * correlation id. A threshold is published only if its sla_warning row was inserted now:
   * once, across replicas and restarts. Public for tests.
   */
  async scanOnce(): Promise<number> {
    const counted: Counted[] = [];
    const published = await this.scanIn(counted);
    for (const { level, kind, priority } of counted) this.options.metrics?.reached(level, kind, priority);
    return published;
  }

  private scanIn(counted: Counted[]): Promise<number> {
    const now = this.options.clock();
    return this.options.uow.run({ actor: this.options.actor, correlationId: 'sla-scan' }, async (tx) => {
      counted.length = 0; // a retried transaction starts over
      const store = new SlaStateRepository(tx.manager);
      const claimed = await store.claimDue(now, this.options.batchSize ?? 200);
      if (claimed.length === 0) return 0;
      const agreements = new Map<string, ReturnType<AgreementBook['forState']>>();
      const reached: (ScanReached & { request: ClaimedRequest; clock: SlaClock; view: ReturnType<typeof evaluate> })[] =
        [];
      const checks: Parameters<SlaStateRepository['recordScan']>[1][number][] = [];
      for (const request of claimed) {
        const { id, version } = agreementOf(request.state);
        const ref = `${id}@${version}`;
        let resolved = agreements.get(ref);
        if (!resolved) {
          resolved = this.options.agreements.forState(request.state, tx.manager);
          agreements.set(ref, resolved);
        }
        const { agreement, calendar } = await resolved;
        for (const clock of request.state.clocks) {
          if (!clock.budget) continue;
          const { due, next } = dueThresholds(
            clock,
            agreement.thresholds,
            request.published.get(clock.kind) ?? [],
            now,
            calendar,
          );
          const view = evaluate(clock, now, calendar);
          for (const level of due)
            reached.push({
              requestId: request.requestId,
              kind: clock.kind,
              threshold: level.threshold,
              reachedAt: level.at,
              ...(level.threshold >= 1
                ? { entryKind: 'BREACHED', note: `${label(clock.kind)} target breached` }
                : {
                    entryKind: 'WARNED',
                    note: `${Math.round(level.threshold * 100)}% of the ${label(clock.kind)} target used`,
                  }),
              request,
              clock,
              view,
            });
          checks.push({
            requestId: request.requestId,
            kind: clock.kind,
            state: view.state,
            nextCheckAt: next?.at ?? null,
            nextThreshold: next?.threshold ?? null,
          });
        }
      }
      const recorded = await store.recordScan(reached, checks, now);
      let published = 0;
      for (const r of reached) {
        const { clock, view, request } = r;
        if (!clock.budget || !recorded.has(scanKey(r.requestId, r.kind, r.threshold))) continue;
        const facts = {
          requestId: r.requestId,
          ...request.facts,
          type: request.state.type,
          priority: request.state.priority,
          kind: clock.kind,
          unit: clock.budget.unit,
          budgetMs: clock.budget.ms,
          dueAt: (view.breachedAt ?? view.dueAt ?? r.reachedAt).toISOString(),
        };
        const meta = { correlationId: `sla-scan:${r.requestId}` };
        counted.push({
          level: r.threshold >= 1 ? 'breach' : 'warning',
          kind: clock.kind,
          priority: request.state.priority,
        });
        if (r.threshold >= 1)
          tx.publishAs(meta, event(SlaBreached, r.requestId, { ...facts, breachedAt: r.reachedAt.toISOString() }));
        else
          tx.publishAs(
            meta,
            event(SlaWarningReached, r.requestId, {
              ...facts,
              threshold: r.threshold,
              reachedAt: r.reachedAt.toISOString(),
            }),
          );
        published++;
      }
      return published;
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
