import { OUTBOX_ENVELOPE_SQL } from '@servicecenter/platform-events';
import { randomUUID } from 'node:crypto';
import { silentLogger } from '@servicecenter/platform-logging';
import type { SubgraphService } from '@servicecenter/platform-service';
import { createTestDatabase, DAY, parseMetrics, TestClock, valueOf, type TestDatabase } from '@servicecenter/testing';
import { requestFacts } from '../domain/clocks/request-events.testing';
import { GENERIC_AGREEMENT } from '../domain/clocks';
import { BusinessCalendar } from '@servicecenter/platform-calendar';
import { slaScanner } from '../service';
import { startSlaService } from '../testing/sla-service';
import { trackClocks } from './request-events.consumer';
import { fixedAgreementBook, PgAgreementBook } from '../persistence/agreement.repository';
import { SlaScanner } from './sla-scanner';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { systemActor } from '@servicecenter/platform-auth';
import type { AgreementBook } from '../persistence/agreement.repository';

/** Tracks the clocks of a High incident registered at `at`, as the request events consumer does. */
async function registerIncident(dataSource: DataSource, requestId: string, i: number, at: Date): Promise<void> {
  const facts = {
    ...requestFacts({
      requestId,
      number: `SC-2026-${String(i + 1).padStart(6, '0')}`,
      priority: 'HIGH',
      occurredAt: at.toISOString(),
      version: 1,
    }),
    registeredAt: at.toISOString(),
  };
  await dataSource.transaction((manager) =>
    trackClocks(
      manager,
      [{ type: 'servicecenter.request.registered.v1', sequence: String(i).padStart(20, '0'), data: facts }],
      fixedAgreementBook(GENERIC_AGREEMENT, new BusinessCalendar(GENERIC_AGREEMENT.calendar)),
      () => undefined,
    ),
  );
}

/**
 * Two SLA service instances on one database, both scanning: every warning (50/75/90%) and
 * every breach of every clock is published exactly once, also while the clock jumps.
 */
describe('SLA warnings and breaches with two replicas', () => {
  let db: TestDatabase;
  const clock = new TestClock('2026-11-02T08:00:00Z'); // Monday 09:00 in Amsterdam
  const services: SubgraphService[] = [];
  /** One scanner per instance, each on its own instance's database pool, driven by the test. */
  const scanners: SlaScanner[] = [];
  const requests = Array.from({ length: 12 }, () => randomUUID());

  beforeAll(async () => {
    db = await createTestDatabase('sla_scanner');
    // Port 0: each instance takes a free port, as the all-in-one test stack does. The services'
    // own scanners poll once at start (nothing is due yet) and then idle: the test scans.
    for (let i = 0; i < 2; i++) {
      const service = await startSlaService(db.url, clock.now);
      services.push(service);
      scanners.push(slaScanner(service.runtime(), new PgAgreementBook(service.runtime().dataSource.manager)));
    }
    const { dataSource } = services[0].runtime();
    for (const [i, requestId] of requests.entries()) await registerIncident(dataSource, requestId, i, clock.now());
  });

  afterAll(async () => {
    for (const service of services) await service.stop();
    await db?.drop();
  });

  it('publishes each threshold of each clock once, across both instances', async () => {
    const { dataSource } = services[0].runtime();
    const published = async () =>
      (await dataSource.query(
        `SELECT (${OUTBOX_ENVELOPE_SQL})->>'subject' AS request, (${OUTBOX_ENVELOPE_SQL})->'data'->>'kind' AS kind, COALESCE((${OUTBOX_ENVELOPE_SQL})->'data'->>'threshold', '1') AS threshold, event_type
           FROM outbox WHERE event_type LIKE 'servicecenter.sla.%'`,
      )) as { request: string; kind: string; threshold: string; event_type: string }[];

    // Both instances scan at once until neither finds anything more (one that found a request
    // held by the other skips it; the holder publishes it).
    const drain = async () => {
      for (let n = -1; n !== 0;) n = (await Promise.all(scanners.map((s) => s.scanOnce()))).reduce((a, b) => a + b, 0);
    };
    // Day by day through 31 days: the scanners catch up in steps, as after an outage.
    for (let day = 1; day <= 31; day++) {
      clock.advance(DAY);
      await drain();
    }
    // 5 targets per High incident x (3 warnings + 1 breach) x 12 requests.
    const expected = requests.length * 5 * 4;
    const rows = await published();
    await drain(); // a double publication would show up now
    const again = await published();
    expect(again).toHaveLength(expected);
    expect(new Set(again.map((r) => `${r.request}/${r.kind}/${r.threshold}`)).size).toBe(expected);
    expect(rows.filter((r) => r.event_type === 'servicecenter.sla.breached.v1')).toHaveLength(requests.length * 5);
    const warnings = await dataSource.query(`SELECT count(*)::int AS n FROM sla_warning`);
    expect(warnings[0].n).toBe(expected);
    // The counters of both instances count each published threshold once (after its commit).
    const counted = async (name: string) => {
      let n = 0;
      for (const service of services) {
        n += valueOf(parseMetrics(await service.runtime().metrics.render()), name, { priority: 'HIGH' });
      }
      return n;
    };
    expect(await counted('servicecenter_sla_breaches_total')).toBe(requests.length * 5);
    expect(await counted('servicecenter_sla_warnings_total')).toBe(requests.length * 5 * 3);
    // A scan handles many requests in one transaction; each event still carries its own
    // request's correlation id, and each publication has its one timeline entry.
    const correlations = await dataSource.query(
      `SELECT count(*)::int AS n FROM outbox
        WHERE event_type LIKE 'servicecenter.sla.%' AND (${OUTBOX_ENVELOPE_SQL})->>'correlationid' = 'sla-scan:' || ((${OUTBOX_ENVELOPE_SQL})->>'subject')`,
    );
    expect(correlations[0].n).toBe(expected);
    const timeline = await dataSource.query(
      `SELECT count(*)::int AS n FROM sla_timeline_entry WHERE kind IN ('WARNED', 'BREACHED')`,
    );
    expect(timeline[0].n).toBe(expected);
  });
});

/**
 * A threshold another replica recorded between this scan's claim and its write (the claim read
 * the published thresholds before that replica committed): the write skips its sla_warning row,
 * and neither its event nor its timeline entry is written, while the rest of the scan's batch is.
 */
describe('SLA scan racing another replica', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  let other: Client;
  const clock = new TestClock('2026-11-02T08:00:00Z');
  const [raced, plain] = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    db = await createTestDatabase('sla_scan_race');
    service = await startSlaService(db.url, clock.now);
    other = new Client({ connectionString: db.url });
    await other.connect();
    const { dataSource } = service.runtime();
    await registerIncident(dataSource, raced, 0, clock.now());
    await registerIncident(dataSource, plain, 1, clock.now());
  });

  afterAll(async () => {
    await other?.end();
    await service?.stop();
    await db?.drop();
  });

  it('publishes only the thresholds its own write recorded', async () => {
    const rt = service.runtime();
    const inner = new PgAgreementBook(rt.dataSource.manager);
    const kinds = (
      (await rt.dataSource.query(`SELECT kind FROM sla_clock WHERE request_id = $1 AND budget_ms IS NOT NULL`, [
        raced,
      ])) as { kind: string }[]
    ).map((r) => r.kind);
    let racedOnce = false;
    // Called by the scan after its claim and before its write: "another replica" commits then.
    const racing: AgreementBook = {
      current: (...args) => inner.current(...args),
      byVersion: (...args) => inner.byVersion(...args),
      inForce: (...args) => inner.inForce(...args),
      forState: async (state, manager) => {
        const resolved = await inner.forState(state, manager);
        if (!racedOnce) {
          racedOnce = true;
          await other.query(
            `INSERT INTO sla_warning (request_id, kind, threshold, reached_at, published_at)
             SELECT $1, k, t, now(), now() FROM unnest($2::text[]) k, unnest($3::real[]) t`,
            [raced, kinds, [...resolved.agreement.thresholds, 1]],
          );
        }
        return resolved;
      },
    };
    const scanner = new SlaScanner({
      dataSource: rt.dataSource,
      uow: rt.uow,
      clock: clock.now,
      logger: silentLogger,
      agreements: racing,
      actor: systemActor('sla'),
      pollMs: DAY,
    });
    clock.advance(31 * DAY); // every threshold of every clock reached: one catch-up scan

    // 5 targets x (3 warnings + 1 breach) of the request nobody else recorded.
    expect(await scanner.scanOnce()).toBe(5 * 4);
    expect(racedOnce).toBe(true);
    const events = (await rt.dataSource.query(
      `SELECT message_key, event_type, (${OUTBOX_ENVELOPE_SQL})->'data'->>'kind' AS kind FROM outbox WHERE event_type LIKE 'servicecenter.sla.%' ORDER BY seq`,
    )) as { message_key: string; event_type: string; kind: string }[];
    expect(events).toHaveLength(5 * 4);
    expect(events.every((e) => e.message_key === plain)).toBe(true);
    // Per clock its warnings before its breach, as staged.
    for (const kind of kinds) {
      const ofKind = events.filter((e) => e.kind === kind).map((e) => e.event_type.split('.')[2]);
      expect(ofKind).toEqual(['warning-reached', 'warning-reached', 'warning-reached', 'breached']);
    }
    const timeline = (await rt.dataSource.query(
      `SELECT request_id, count(*)::int AS n FROM sla_timeline_entry WHERE kind IN ('WARNED', 'BREACHED') GROUP BY request_id`,
    )) as { request_id: string; n: number }[];
    expect(timeline).toEqual([{ request_id: plain, n: 5 * 4 }]);
    // Both requests' clocks were moved on: nothing is due any more.
    expect(await scanner.scanOnce()).toBe(0);
  });
});

/**
 * A scan claims whole requests, but writes only the clock rows whose state or next check moves:
 * a claimed request's clocks that were not due keep their row version (no index entries).
 */
describe('SLA scan of a request with some clocks due', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  const clock = new TestClock('2026-11-02T08:00:00Z');
  const requestId = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('sla_scan_some_due');
    service = await startSlaService(db.url, clock.now);
    await registerIncident(service.runtime().dataSource, requestId, 0, clock.now());
  });

  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('leaves the clocks that were not due unwritten', async () => {
    const { dataSource, uow } = service.runtime();
    const clocks = async () =>
      (await dataSource.query(
        `SELECT kind, xmin::text AS version, next_check_at FROM sla_clock WHERE request_id = $1 AND next_check_at IS NOT NULL ORDER BY kind`,
        [requestId],
      )) as { kind: string; version: string; next_check_at: Date }[];
    const before = await clocks();
    const first = Math.min(...before.map((c) => c.next_check_at.getTime()));
    const due = before.filter((c) => c.next_check_at.getTime() === first).map((c) => c.kind);
    const notDue = before.filter((c) => c.next_check_at.getTime() > first);
    expect(notDue.length).toBeGreaterThan(0);
    clock.advance(first - clock.now().getTime());
    const scanner = new SlaScanner({
      dataSource,
      uow,
      clock: clock.now,
      logger: silentLogger,
      agreements: new PgAgreementBook(dataSource.manager),
      actor: systemActor('sla'),
      pollMs: DAY,
    });
    expect(await scanner.scanOnce()).toBe(due.length);
    const after = new Map((await clocks()).map((c) => [c.kind, c]));
    for (const c of notDue) expect(after.get(c.kind)).toEqual(c);
    // The due ones moved on to their next threshold.
    for (const kind of due)
      expect(after.get(kind)?.next_check_at.getTime() ?? Number.POSITIVE_INFINITY).toBeGreaterThan(first);
  });
});
