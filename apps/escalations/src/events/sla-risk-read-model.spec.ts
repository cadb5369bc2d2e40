import { randomUUID } from 'node:crypto';
import { SlaBreached, SlaWarningReached } from '@servicecenter/contracts';
import type { SubgraphService } from '@servicecenter/platform-service';
import type { TestDatabase } from '@servicecenter/testing';
import type { DataSource } from 'typeorm';
import { startEscalationsService, eventItems } from '../testing/escalations-service';
import { applySlaRisks } from './attention-events.consumer';

/**
 * The SLA risk read model behind the attention list, applied a set at a time (an SLA scan
 * publishes hundreds of warnings and breaches at once): the same rows as one event at a time.
 */
describe('SLA risk read model of the escalations service', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  let dataSource: DataSource;

  beforeAll(async () => {
    ({ db, service } = await startEscalationsService('escalations_sla_risk'));
    dataSource = service.runtime().dataSource;
  });

  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  const item = eventItems('/servicecenter/sla');
  const clock = (requestId: string, kind: string, dueAt: string) => ({
    requestId,
    customerId: 'cust-acme',
    productId: null,
    productGroupId: null,
    teamId: null,
    type: 'INCIDENT',
    priority: 'HIGH',
    kind,
    unit: 'CALENDAR_TIME',
    budgetMs: 3_600_000,
    dueAt,
  });
  const warning = (requestId: string, kind: string, threshold: number, reachedAt: string, dueAt: string) =>
    item(SlaWarningReached, { ...clock(requestId, kind, dueAt), threshold, reachedAt });
  const breach = (requestId: string, kind: string, breachedAt: string, dueAt: string) =>
    item(SlaBreached, { ...clock(requestId, kind, dueAt), breachedAt });

  const risks = async () =>
    (
      (await dataSource.query(
        `SELECT request_id, kind, threshold, due_at, breached, updated_at FROM sla_risk ORDER BY request_id, kind`,
      )) as Record<string, unknown>[]
    ).map((r) => ({
      ...r,
      due_at: (r.due_at as Date).toISOString(),
      updated_at: (r.updated_at as Date).toISOString(),
    }));

  const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute)).toISOString();
  const a = randomUUID();
  const b = randomUUID();
  const closed = randomUUID();
  /**
   * Several events per request target, out of order as a consumer may see them: a warning
   * reached earlier arriving after a later one, a breach before a late warning, and the events
   * of a request the read model shows closed.
   */
  const events = [
    warning(a, 'RESOLUTION', 0.5, at(30), at(90)),
    warning(b, 'RESPONSE', 0.75, at(45), at(60)),
    warning(a, 'RESOLUTION', 0.9, at(54), at(95)),
    warning(a, 'RESOLUTION', 0.75, at(40), at(80)), // older: keeps 0.9 and the newest due time
    warning(closed, 'RESOLUTION', 0.5, at(10), at(20)),
    breach(b, 'RESPONSE', at(60), at(61)),
    warning(b, 'RESPONSE', 0.9, at(70), at(75)), // after the breach, newer: its due time, still breached
    warning(a, 'RESPONSE', 0.5, at(20), at(40)),
    breach(a, 'RESPONSE', at(40), at(40)),
    breach(closed, 'RESOLUTION', at(20), at(20)),
  ];

  async function reset(): Promise<void> {
    await dataSource.query(`TRUNCATE sla_risk, request_view`);
    await dataSource.query(
      `INSERT INTO request_view (request_id, number, type, customer_id, status, updated_at, version)
       VALUES ($1, 'SC-2026-000001', 'INCIDENT', 'cust-acme', 'CLOSED', now(), 3)`,
      [closed],
    );
  }

  it('applies warnings and breaches in one set as one event at a time would', async () => {
    await reset();
    for (const e of events) await dataSource.transaction((manager) => applySlaRisks(manager, [e]));
    const oneByOne = await risks();

    await reset();
    await dataSource.transaction((manager) => applySlaRisks(manager, events));
    expect(await risks()).toEqual(oneByOne);

    expect(oneByOne).toEqual(
      [
        { request_id: a, kind: 'RESOLUTION', threshold: 0.9, due_at: at(95), breached: false, updated_at: at(54) },
        { request_id: a, kind: 'RESPONSE', threshold: 1, due_at: at(40), breached: true, updated_at: at(40) },
        { request_id: b, kind: 'RESPONSE', threshold: 1, due_at: at(75), breached: true, updated_at: at(70) },
      ].sort((x, y) => x.request_id.localeCompare(y.request_id) || x.kind.localeCompare(y.kind)),
    );
  });
});
