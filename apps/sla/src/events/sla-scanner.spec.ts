import { randomUUID } from 'node:crypto';
import { loadSubgraphConfig } from '@servicecenter/platform-config';
import { InProcessTransport } from '@servicecenter/platform-events';
import { silentLogger } from '@servicecenter/platform-logging';
import { createSubgraphService, type SubgraphService } from '@servicecenter/platform-service';
import { createTestDatabase, DAY, parseMetrics, TestClock, valueOf, type TestDatabase } from '@servicecenter/testing';
import type { RequestFacts } from '@servicecenter/contracts';
import { GENERIC_AGREEMENT } from '../domain/clocks';
import { BusinessCalendar } from '@servicecenter/platform-calendar';
import { slaDefinition, slaScanner } from '../service';
import { trackClocks } from './request-events.consumer';
import { fixedAgreementBook, PgAgreementBook } from '../persistence/agreement.repository';
import type { SlaScanner } from './sla-scanner';

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
    const config = {
      ...loadSubgraphConfig('sla', {
        NODE_ENV: 'test',
        SLA_DATABASE_URL: db.url,
        TIMER_POLL_MS: String(DAY),
        LOG_LEVEL: 'silent',
      }),
      port: 0,
    };
    for (let i = 0; i < 2; i++) {
      const service = createSubgraphService(slaDefinition, {
        config,
        transport: new InProcessTransport(),
        logger: silentLogger,
        clock: clock.now,
      });
      await service.start();
      services.push(service);
      scanners.push(slaScanner(service.runtime(), new PgAgreementBook(service.runtime().dataSource.manager)));
    }
    const calendar = new BusinessCalendar(GENERIC_AGREEMENT.calendar);
    const { dataSource } = services[0].runtime();
    for (const [i, requestId] of requests.entries()) {
      const facts: RequestFacts & Record<string, unknown> = {
        requestId,
        number: `SC-2026-${String(i + 1).padStart(6, '0')}`,
        type: 'INCIDENT',
        customerId: 'acme',
        productId: null,
        productGroupId: null,
        teamId: null,
        assigneeId: null,
        requestedPriority: 'HIGH',
        priority: 'HIGH',
        status: 'REGISTERED',
        previousStatus: null,
        occurredAt: clock.now().toISOString(),
        version: 1,
        registeredAt: clock.now().toISOString(),
      };
      await dataSource.transaction((manager) =>
        trackClocks(
          manager,
          [{ type: 'servicecenter.request.registered.v1', sequence: String(i).padStart(20, '0'), data: facts }],
          fixedAgreementBook(GENERIC_AGREEMENT, calendar),
          () => undefined,
        ),
      );
    }
  });

  afterAll(async () => {
    for (const service of services) await service.stop();
    await db?.drop();
  });

  it('publishes each threshold of each clock once, across both instances', async () => {
    const { dataSource } = services[0].runtime();
    const published = async () =>
      (await dataSource.query(
        `SELECT envelope->>'subject' AS request, envelope->'data'->>'kind' AS kind, COALESCE(envelope->'data'->>'threshold', '1') AS threshold, event_type
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
        WHERE event_type LIKE 'servicecenter.sla.%' AND envelope->>'correlationid' = 'sla-scan:' || (envelope->>'subject')`,
    );
    expect(correlations[0].n).toBe(expected);
    const timeline = await dataSource.query(
      `SELECT count(*)::int AS n FROM sla_timeline_entry WHERE kind IN ('WARNED', 'BREACHED')`,
    );
    expect(timeline[0].n).toBe(expected);
  });
});
