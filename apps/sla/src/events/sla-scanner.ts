import { setTimeout as sleep } from 'node:timers/promises';
import { event, type Clock, type EventGroup, type UnitOfWork } from '@servicecenter/platform-events';
import { SlaBreached, SlaWarningReached } from '@servicecenter/contracts';
import type { Logger } from '@servicecenter/platform-logging';
import type { DataSource } from 'typeorm';
import { agreementOf, evaluate } from '../domain/clocks';
import { targetLabel as label } from '../domain/clock-timeline';
import { dueThresholds } from '../domain/warnings';
import { SlaStateRepository, scanKey, type ScanReached } from '../persistence/sla-state.repository';
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
   * memory (each agreement version and its business calendar resolved once per scan), and
   * one statement records the reached thresholds, their timeline entries, their events'
   * outbox rows (each with its request's correlation id, staged through the unit of work) and
   * the clocks' next checks. A threshold is published only if its sla_warning row was
   * inserted now: once, across replicas and restarts. Public for tests.
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
      const reached: (ScanReached & { level: 'warning' | 'breach'; kind: string; priority: string })[] = [];
      // One event per reached threshold, in the same order: the write statement inserts those it recorded.
      const events: EventGroup[] = [];
      const checks: Parameters<SlaStateRepository['recordScan']>[2][number][] = [];
      for (const request of claimed) {
        const { id, version } = agreementOf(request.state);
        const ref = `${id}@${version}`;
        let resolved = agreements.get(ref);
        if (!resolved) {
          resolved = this.options.agreements.forState(request.state, tx.manager);
          agreements.set(ref, resolved);
        }
        const { agreement, calendar } = await resolved;
        const meta = { correlationId: `sla-scan:${request.requestId}` };
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
          if (due.length > 0) {
            const facts = {
              requestId: request.requestId,
              ...request.facts,
              type: request.state.type,
              priority: request.state.priority,
              kind: clock.kind,
              unit: clock.budget.unit,
              budgetMs: clock.budget.ms,
            };
            for (const level of due) {
              const breach = level.threshold >= 1;
              const dueAt = (view.breachedAt ?? view.dueAt ?? level.at).toISOString();
              reached.push({
                requestId: request.requestId,
                kind: clock.kind,
                threshold: level.threshold,
                reachedAt: level.at,
                ...(breach
                  ? { entryKind: 'BREACHED', note: `${label(clock.kind)} target breached` }
                  : {
                      entryKind: 'WARNED',
                      note: `${Math.round(level.threshold * 100)}% of the ${label(clock.kind)} target used`,
                    }),
                level: breach ? 'breach' : 'warning',
                priority: request.state.priority,
              });
              events.push({
                meta,
                events: [
                  breach
                    ? event(SlaBreached, request.requestId, { ...facts, dueAt, breachedAt: level.at.toISOString() })
                    : event(SlaWarningReached, request.requestId, {
                        ...facts,
                        dueAt,
                        threshold: level.threshold,
                        reachedAt: level.at.toISOString(),
                      }),
                ],
              });
            }
          }
          checks.push({
            requestId: request.requestId,
            kind: clock.kind,
            state: view.state,
            nextCheckAt: next?.at ?? null,
            nextThreshold: next?.threshold ?? null,
          });
        }
      }
      const recorded = await store.recordScan(reached, tx.stage(events), checks, now);
      let published = 0;
      for (const r of reached) {
        if (!recorded.has(scanKey(r.requestId, r.kind, r.threshold))) continue;
        counted.push({ level: r.level, kind: r.kind, priority: r.priority });
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
