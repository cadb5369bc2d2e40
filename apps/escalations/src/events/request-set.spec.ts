import { randomUUID } from 'node:crypto';
import {
  RequestClosed,
  RequestHandedOver,
  RequestPrioritised,
  RequestReopened,
  RequestReplied,
  SlaBreached,
  SlaWarningReached,
} from '@servicecenter/contracts';
import type { EventItem } from '@servicecenter/platform-events';
import type { SubgraphService } from '@servicecenter/platform-service';
import { seededRandom, type TestDatabase } from '@servicecenter/testing';
import type { DataSource } from 'typeorm';
import { startEscalationsService, eventItems } from '../testing/escalations-service';
import { applyRequestSet } from './request-events.consumer';
import { compareInstants } from '@servicecenter/platform-events';
import { compactRisks } from './request-set';

/**
 * A set of request events and SLA warnings/breaches (an import backlog interleaves them) is
 * written with a few statements: the newest facts per request, the risks folded per target, the
 * clearing worked out from the stored facts. Against the same events applied one at a time, in
 * generated histories that stress what depends on order: versions arriving late, requests closed
 * and reopened around their SLA events, breaches before newer and older warnings, instants with
 * microseconds and offsets, approved priority asks.
 */
describe('request and SLA risk events of the escalations service, a set at a time', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  let dataSource: DataSource;

  beforeAll(async () => {
    ({ db, service } = await startEscalationsService('escalations_request_set'));
    dataSource = service.runtime().dataSource;
  });

  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  const item = eventItems('/servicecenter/test');
  const minute = (m: number, micros = 0) =>
    new Date(Date.UTC(2026, 2, 2, 9, m)).toISOString().replace('.000Z', `.${String(micros).padStart(6, '0')}Z`);
  // The same instant written with an offset.
  const withOffset = (iso: string) => {
    const d = new Date(Date.parse(iso) + 3_600_000).toISOString();
    return `${d.slice(0, 19)}${/\.\d+/.exec(iso)?.[0] ?? ''}+01:00`;
  };

  /** A history of `requests` requests: request events (some late, some closing or reopening) and SLA events. */
  function history(seed: number, requests: string[]): EventItem[] {
    const rnd = seededRandom(seed);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
    const events: EventItem[] = [];
    for (let i = 0; i < 40; i++) {
      const requestId = pick(requests);
      const at = minute(Math.floor(rnd() * 12) * 4, rnd() < 0.3 ? Math.floor(rnd() * 1000) * 1000 + 7 : 0);
      const instant = rnd() < 0.2 ? withOffset(at) : at;
      if (rnd() < 0.45) {
        const kind = pick(['RESPONSE', 'RESOLUTION']);
        const dueAt = minute(50 + Math.floor(rnd() * 9));
        const common = {
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
        };
        events.push(
          rnd() < 0.3
            ? item(SlaBreached, { ...common, breachedAt: instant })
            : item(SlaWarningReached, { ...common, threshold: pick([0.5, 0.75, 0.9]), reachedAt: instant }),
        );
        continue;
      }
      const version = 1 + Math.floor(rnd() * 8);
      const status = pick(['ACCEPTED', 'IN_HANDLING', 'CLOSED', 'CLOSED', 'REOPENED']);
      const facts = {
        requestId,
        number: `SC-2026-${requests.indexOf(requestId)}`,
        type: 'INCIDENT',
        customerId: 'cust-acme',
        productId: 'prod-payroll',
        productGroupId: 'grp-payroll',
        teamId: null,
        assigneeId: null,
        requestedPriority: 'MEDIUM',
        priority: pick(['HIGH', 'LOW', null]),
        status,
        previousStatus: null,
        occurredAt: instant,
        version,
      };
      const type = pick([RequestReplied, RequestPrioritised, RequestHandedOver, RequestClosed, RequestReopened]);
      events.push(
        item(type, {
          ...facts,
          ...(type === RequestReplied
            ? { side: pick(['SERVICE_CENTER', 'CUSTOMER']), visibility: pick(['PUBLIC', 'INTERNAL']) }
            : {}),
          ...(type === RequestHandedOver ? { target: pick(['PRODUCT_DEVELOPMENT', 'CONSULTING']) } : {}),
          ...(type === RequestClosed ? { registeredAt: minute(Math.floor(rnd() * 5)) } : {}),
        }),
      );
    }
    return events;
  }

  /** Stored rows before the events: a view row (some closed) with risks, and approved priority asks. */
  async function reset(seed: number, requests: string[]): Promise<void> {
    const rnd = seededRandom(seed * 7 + 1);
    await dataSource.query(`TRUNCATE sla_risk, request_view, request_ask, notification CASCADE`);
    for (const [i, requestId] of requests.entries()) {
      if (rnd() < 0.7)
        await dataSource.query(
          `INSERT INTO request_view (request_id, number, type, customer_id, status, updated_at, version, registered_at)
           VALUES ($1, $2, 'INCIDENT', 'cust-acme', $3, $4, $5, $4)`,
          [requestId, `SC-2026-${i}`, rnd() < 0.4 ? 'CLOSED' : 'IN_HANDLING', minute(3), 1 + Math.floor(rnd() * 5)],
        );
      if (rnd() < 0.6)
        await dataSource.query(
          `INSERT INTO sla_risk (request_id, kind, threshold, due_at, breached, updated_at) VALUES ($1, 'RESOLUTION', 0.5, $2, false, $3)`,
          [requestId, minute(59), minute(Math.floor(rnd() * 40), 500)],
        );
      await dataSource.query(
        `INSERT INTO request_ask (id, kind, status, request_id, request_number, priority, asked_by, asked_at, decided_by, decided_at)
         VALUES ($1, 'PRIORITY_CHANGE', 'APPROVED', $2, $3, 'HIGH', 'u-acme', $4, 'p-lead', $5)`,
        [randomUUID(), requestId, `SC-2026-${i}`, minute(1), minute(Math.floor(rnd() * 30))],
      );
    }
  }

  const state = async () => ({
    views: await dataSource.query(
      `SELECT request_id, number, status, priority, version, updated_at, registered_at, last_public_update_at FROM request_view ORDER BY request_id`,
    ),
    risks: await dataSource.query(
      `SELECT request_id, kind, threshold, due_at, breached, updated_at FROM sla_risk ORDER BY request_id, kind`,
    ),
    asks: await dataSource.query(`SELECT request_id, took_effect_at FROM request_ask ORDER BY request_id`),
    notifications: await dataSource.query(
      `SELECT kind, title, link, created_at, recipient_role, recipient_person_id FROM notification ORDER BY title, kind, recipient_role, recipient_person_id`,
    ),
  });

  it('leaves the rows that applying the events one by one leaves', async () => {
    const requests = [randomUUID(), randomUUID(), randomUUID()];
    let differentOutcomes = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const events = history(seed, requests);
      await reset(seed, requests);
      for (const e of events) await dataSource.transaction((m) => applyRequestSet(m, [e]));
      const oneByOne = await state();

      await reset(seed, requests);
      await dataSource.transaction((m) => applyRequestSet(m, events));
      expect({ seed, ...(await state()) }).toEqual({ seed, ...oneByOne });

      // In three sets.
      await reset(seed, requests);
      for (const part of [events.slice(0, 13), events.slice(13, 27), events.slice(27)])
        await dataSource.transaction((m) => applyRequestSet(m, part));
      expect({ seed, ...(await state()) }).toEqual({ seed, ...oneByOne });

      if (oneByOne.risks.length > 0 && oneByOne.asks.some((a: { took_effect_at: unknown }) => a.took_effect_at))
        differentOutcomes++;
    }
    // The histories reach the interesting cases (risks left, asks that took effect), not only empty tables.
    expect(differentOutcomes).toBeGreaterThan(5);
  });

  it('folds a target’s events into at most two rows: up to its last breach, and after it', () => {
    const r = (threshold: number, breached: boolean, at: string, dueAt: string) => ({
      requestId: 'r',
      kind: 'RESOLUTION' as const,
      threshold,
      breached,
      at,
      dueAt,
    });
    expect(
      compactRisks([
        r(0.5, false, minute(10), minute(50)),
        r(1, true, minute(20), minute(51)),
        r(0.75, false, minute(5), minute(52)), // older than the breach: the breach's instant stays newest
        r(0.9, false, minute(30), minute(53)),
        r(0.75, false, minute(30), minute(54)), // as new as the newest: its due time
      ]),
    ).toEqual([[r(1, true, minute(20), minute(51))], [{ ...r(0.9, false, minute(30), minute(54)) }]]);
    expect(compareInstants('2026-03-02T09:00:00.123456Z', '2026-03-02T10:00:00.123457+01:00')).toBeLessThan(0);
    expect(compareInstants('2026-03-02T09:00:00.1234565Z', '2026-03-02T09:00:00.123457Z')).toBe(0);
  });
});
