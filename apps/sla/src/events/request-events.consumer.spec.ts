import { randomUUID } from 'node:crypto';
import { BusinessCalendar } from '@servicecenter/platform-calendar';
import type { NewEvent } from '@servicecenter/platform-events';
import { formatSequence } from '@servicecenter/contracts';
import type { SubgraphService } from '@servicecenter/platform-service';
import { createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { GENERIC_AGREEMENT } from '../domain/clocks';
import { requestEvents } from '../domain/clocks/request-events.testing';
import type { EntityManager } from 'typeorm';
import { AgreementRepository, fixedAgreementBook } from '../persistence/agreement.repository';
import { RequestSlaRepository } from '../persistence/request-sla.repository';
import { onRequestsRegistered, trackingStartOf } from '../domain/request-sla';
import { startSlaService } from '../testing/sla-service';
import { trackClocks, type TrackedEvent } from './request-events.consumer';

/**
 * A backlog of request events is applied as one set (one read, one write per request). It must
 * leave the clocks, the timeline and the published target settlements exactly as applying the
 * same events one at a time does.
 */
describe('SLA clocks from a set of request events', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  const book = fixedAgreementBook(GENERIC_AGREEMENT, new BusinessCalendar(GENERIC_AGREEMENT.calendar));

  beforeAll(async () => {
    db = await createTestDatabase('sla_clock_sets');
    service = await startSlaService(db.url);
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  /** A High incident: first response, a late workaround the customer rejects, a solution, closed. */
  function history(requestId: string, number: string): TrackedEvent[] {
    const next = requestEvents({ requestId, number, priority: 'HIGH' });
    const events = [
      next('registered', '2026-11-03T08:00:00Z'),
      next('replied', '2026-11-03T10:00:00Z', { firstResponse: true }),
      next('solution-proposed', '2026-11-04T14:00:00Z', { solutionKind: 'WORKAROUND', status: 'SOLUTION_PROPOSED' }),
      next('solution-rejected', '2026-11-04T16:00:00Z', { status: 'IN_HANDLING' }),
      next('waiting-for-customer', '2026-11-05T09:00:00Z', { status: 'WAITING_FOR_CUSTOMER' }),
      next('resumed', '2026-11-06T09:00:00Z', { status: 'IN_HANDLING' }),
      next('solution-proposed', '2026-11-09T10:00:00Z', { solutionKind: 'SOLUTION', status: 'SOLUTION_PROPOSED' }),
      next('closed', '2026-11-10T10:00:00Z', { status: 'CLOSED', completionReason: 'SOLVED' }),
    ];
    return events.map((e, i) => ({
      type: e.type,
      sequence: formatSequence(i + 1),
      data: e.data as TrackedEvent['data'],
    }));
  }

  /** What a user can see of a request's SLA: state, clocks, timeline, and the settlements published (by causing event). */
  async function observed(requestId: string, published: { cause: number; events: NewEvent[] }[]) {
    const { dataSource } = service.runtime();
    const [state] = await dataSource.query(
      `SELECT state, version, priority FROM request_sla_state WHERE request_id = $1`,
      [requestId],
    );
    const clocks = await dataSource.query(
      `SELECT kind, state, unit, budget_ms, due_at, next_check_at, next_threshold FROM sla_clock WHERE request_id = $1 ORDER BY kind`,
      [requestId],
    );
    const timeline = await dataSource.query(
      `SELECT at, kind, note FROM sla_timeline_entry WHERE request_id = $1 ORDER BY at, id`,
      [requestId],
    );
    const settlements = published.map(({ cause, events }) => ({
      cause,
      events: events.map((e) => ({ type: e.contract.type, data: { ...(e.data as object), requestId: undefined } })),
    }));
    return { state: { ...state, state: { ...state.state, requestId: undefined } }, clocks, timeline, settlements };
  }

  it('gives the same clocks, timeline and settlements as applying the events one by one', async () => {
    const { dataSource } = service.runtime();
    const [one, set] = [randomUUID(), randomUUID()];
    const byOne: { cause: number; events: NewEvent[] }[] = [];
    const oneEvents = history(one, 'SC-2026-000001');
    for (const event of oneEvents) {
      await dataSource.transaction((m) =>
        trackClocks(
          m,
          [event],
          book,
          (cause, ...events) => void byOne.push({ cause: oneEvents.indexOf(cause), events }),
        ),
      );
    }
    const bySet: { cause: number; events: NewEvent[] }[] = [];
    const setEvents = history(set, 'SC-2026-000002');
    await dataSource.transaction((m) =>
      trackClocks(
        m,
        setEvents,
        book,
        (cause, ...events) => void bySet.push({ cause: setEvents.indexOf(cause), events }),
      ),
    );

    const expected = await observed(one, byOne);
    // The history is not trivial: a late workaround, its resumption, a met solution, paused time.
    expect(
      expected.settlements.map((s) => [
        s.cause,
        s.events.map((e) => `${e.type.split('.')[2]} ${(e.data as unknown as { kind: string }).kind}`),
      ]),
    ).toEqual([
      [1, ['target-completed FIRST_RESPONSE']],
      [2, ['target-completed WORKAROUND']],
      [3, ['target-resumed WORKAROUND']],
      [6, ['target-completed WORKAROUND', 'target-completed RESOLUTION']],
      [7, ['target-completed ASSIGNMENT', 'target-completed ACCEPTANCE']],
    ]);
    expect(expected.timeline.length).toBeGreaterThan(4);
    expect(await observed(set, bySet)).toEqual(expected);
  });

  it('starts tracking a set of registrations once each: one SLA record and one STARTED entry, also when repeated', async () => {
    const { dataSource } = service.runtime();
    const [a, b] = [randomUUID(), randomUUID()];
    const registered = (requestId: string, number: string, at: string) =>
      trackingStartOf({
        requestId,
        number,
        customerId: 'acme',
        type: 'INCIDENT',
        requestedPriority: 'HIGH',
        registeredAt: at,
      });
    const store = (m: EntityManager) => new RequestSlaRepository(m);
    const started = await dataSource.transaction((m) =>
      store(m).startTracking([
        registered(a, 'SC-2026-000011', '2026-11-03T08:00:00Z'),
        registered(a, 'SC-2026-000011', '2026-11-03T08:00:00Z'),
        registered(b, 'SC-2026-000012', '2026-11-03T09:00:00Z'),
      ]),
    );
    expect(started.map((s) => s.requestId).sort()).toEqual([a, b].sort());
    // Delivered again later (another event id): nothing changes, nothing started.
    const repeated = await dataSource.transaction((m) =>
      store(m).startTracking([registered(b, 'SC-2026-000012', '2026-11-04T09:00:00Z')]),
    );
    expect(repeated).toEqual([]);
    const records = await dataSource.query(
      `SELECT request_id, tracked_since FROM request_sla WHERE request_id = ANY($1::uuid[]) ORDER BY tracked_since`,
      [[a, b]],
    );
    expect(records).toEqual([
      { request_id: a, tracked_since: new Date('2026-11-03T08:00:00Z') },
      { request_id: b, tracked_since: new Date('2026-11-03T09:00:00Z') },
    ]);
    const timeline = await dataSource.query(
      `SELECT request_id, at, kind, note FROM sla_timeline_entry WHERE request_id = ANY($1::uuid[]) ORDER BY id`,
      [[a, b]],
    );
    expect(timeline).toEqual([
      { request_id: a, at: new Date('2026-11-03T08:00:00Z'), kind: 'STARTED', note: 'Registered as SC-2026-000011' },
      { request_id: b, at: new Date('2026-11-03T09:00:00Z'), kind: 'STARTED', note: 'Registered as SC-2026-000012' },
    ]);
  });

  it("finds the agreement in force with one statement: the customer's own, else the generic one, as of the time asked", async () => {
    const { dataSource } = service.runtime();
    const repo = new AgreementRepository(dataSource.manager);
    const insert = (id: string, version: number, customerId: string | null, createdAt: string) =>
      dataSource.query(
        `INSERT INTO sla_agreement (id, version, customer_id, name, calendar, targets, base_version, created_at, created_by)
         VALUES ($1, $2, $3, $1, '{}'::jsonb, '[]'::jsonb, 1, $4, 'test')`,
        [id, version, customerId, createdAt],
      );
    await dataSource.query(`DELETE FROM sla_agreement`);
    await insert('generic', 2, null, '2026-01-01T00:00:00Z');
    await insert('generic', 3, null, '2026-06-01T00:00:00Z');
    await insert('agr-acme', 1, 'acme', '2026-03-01T00:00:00Z');
    await insert('agr-acme', 2, 'acme', '2026-09-01T00:00:00Z');
    const at = (customerId: string | null, when: string) => repo.inForceRef(customerId, new Date(when));
    expect(await at('acme', '2025-12-01T00:00:00Z')).toBeNull();
    expect(await at('acme', '2026-02-01T00:00:00Z')).toEqual({ id: 'generic', version: 2 });
    expect(await at('acme', '2026-07-01T00:00:00Z')).toEqual({ id: 'agr-acme', version: 1 });
    expect(await at('acme', '2026-10-01T00:00:00Z')).toEqual({ id: 'agr-acme', version: 2 });
    expect(await at('globex', '2026-10-01T00:00:00Z')).toEqual({ id: 'generic', version: 3 });
    expect(await at(null, '2026-10-01T00:00:00Z')).toEqual({ id: 'generic', version: 3 });
    // Starting a registration's tracking finds the same version in its own statement.
    const starts = [
      ['acme', '2025-12-01T00:00:00Z'],
      ['acme', '2026-02-01T00:00:00Z'],
      ['acme', '2026-07-01T00:00:00Z'],
      ['acme', '2026-10-01T00:00:00Z'],
      ['globex', '2026-10-01T00:00:00Z'],
    ].map(([customerId, registeredAt], i) =>
      trackingStartOf({
        requestId: randomUUID(),
        number: `SC-2026-00009${i}`,
        customerId,
        type: 'INCIDENT',
        requestedPriority: 'HIGH',
        registeredAt,
      }),
    );
    const started = await dataSource.transaction((m) => new RequestSlaRepository(m).startTracking(starts));
    const byId = new Map(started.map((s) => [s.requestId, s.agreement]));
    expect(starts.map((s) => byId.get(s.sla.requestId))).toEqual([
      null,
      { id: 'generic', version: 2 },
      { id: 'agr-acme', version: 1 },
      { id: 'agr-acme', version: 2 },
      { id: 'generic', version: 3 },
    ]);
    await dataSource.query(`DELETE FROM sla_agreement`);
  });

  it('reads no state for a request whose tracking the set starts, and leaves a tracked request as it is when its registration comes again', async () => {
    const { dataSource } = service.runtime();
    const [fresh, plain] = [randomUUID(), randomUUID()];
    /** As the consumer applies a set: registrations start tracking, then the clocks follow. */
    const apply = (events: TrackedEvent[], started = true) =>
      dataSource.transaction(async (m) => {
        const registrations = events.filter((e) => e.type.endsWith('.registered.v1'));
        const untracked = started
          ? await onRequestsRegistered(
              new RequestSlaRepository(m),
              registrations.map((e) => e.data as never),
            )
          : undefined;
        await trackClocks(m, events, book, () => undefined, untracked);
      });
    const freshEvents = history(fresh, 'SC-2026-000021').slice(0, 3);
    const plainEvents = history(plain, 'SC-2026-000022').slice(0, 3);
    await apply(freshEvents);
    await apply(plainEvents, false);
    const clocksOf = (id: string) =>
      dataSource.query(
        `SELECT kind, state, unit, budget_ms, due_at, next_check_at, next_threshold FROM sla_clock WHERE request_id = $1 ORDER BY kind`,
        [id],
      );
    expect(await clocksOf(fresh)).toEqual(await clocksOf(plain));

    // The registration again, with another event id (its inbox entry purged): nothing moves.
    const before = await observed(fresh, []);
    await apply([freshEvents[0]]);
    expect(await observed(fresh, [])).toEqual(before);
    expect(before.clocks.some((c: { state: string }) => c.state !== 'RUNNING')).toBe(true);
  });
});
