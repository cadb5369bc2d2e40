import { InProcessTransport } from '@servicecenter/platform-events';
import type { SubgraphService } from '@servicecenter/platform-service';
import { TestClock, createTestDatabase, seededRandom, type TestDatabase } from '@servicecenter/testing';
import { ReportQueries } from '../domain/report-queries';
import { ReportReader } from '../persistence/report.reader';
import { ROLLUPS, syncRollupZone } from '../persistence/rollups';
import { recountedRollups, rollups } from '../testing/rollups';
import { NOW, everyReport, scenario, type ScenarioEvent } from '../testing/scenario';
import { startReportingService } from '../testing/service';

const ZONE = 'Europe/Amsterdam';

/** A deterministic shuffle, so a failure can be replayed. */
function shuffled<T>(list: T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The projections are order-tolerant: the same events in another order (even across one
 * aggregate's events, which Kafka would keep in order) give the same reports.
 */
describe('read models are independent of the order events arrive in', () => {
  const clock = new TestClock(NOW);
  const stacks: {
    db: TestDatabase;
    service: SubgraphService;
    reports: ReportQueries;
    transport: InProcessTransport;
  }[] = [];
  const { events } = scenario();

  async function start(label: string) {
    const db = await createTestDatabase(label);
    const transport = new InProcessTransport();
    const service = await startReportingService(db.url, transport, clock.now);
    const entry = {
      db,
      service,
      transport,
      reports: new ReportQueries(new ReportReader(service.runtime().dataSource.manager, ZONE), ZONE, clock.now),
    };
    stacks.push(entry);
    return entry;
  }
  const feed = async (t: InProcessTransport, list: ScenarioEvent[]) => {
    for (const e of list) await t.publish([{ topic: e.contract.topic, key: e.envelope.subject, envelope: e.envelope }]);
  };
  afterAll(async () => {
    for (const s of stacks) {
      await s.service.stop();
      await s.db.drop();
    }
  });

  it('gives the same reports for the events in order, reversed and shuffled', async () => {
    const inOrder = await start('reporting_order_a');
    const reversed = await start('reporting_order_b');
    const mixed = await start('reporting_order_c');
    await feed(inOrder.transport, events);
    await feed(reversed.transport, [...events].reverse());
    await feed(mixed.transport, shuffled(events, 20261120));
    const expected = await everyReport(inOrder.reports);
    expect(expected.open.total).toBe(7);
    expect(await everyReport(reversed.reports)).toEqual(expected);
    expect(await everyReport(mixed.reports)).toEqual(expected);

    // The rollups, kept at event time by subtracting each row's old contribution and adding its
    // new one, come out the same whatever the order (late settlements, breaches after
    // completions, a closing before the registration) and equal a count from scratch.
    const counted = await rollups(inOrder.service.runtime().dataSource);
    for (const { table } of ROLLUPS) expect(counted[table].length).toBeGreaterThan(0);
    expect(counted.rp_sla_target_day.some((r) => r.outcome === 'RUNNING_BREACHED')).toBe(true);
    expect(await rollups(reversed.service.runtime().dataSource)).toEqual(counted);
    expect(await rollups(mixed.service.runtime().dataSource)).toEqual(counted);
    expect(await recountedRollups(mixed.service.runtime().dataSource, ZONE)).toEqual(counted);

    // Another report time zone at the next start: the zoned rollups are counted again in it
    // (a request registered at 00:30 in Amsterdam counts on the day before in UTC), and back.
    const { dataSource } = mixed.service.runtime();
    expect(await syncRollupZone(dataSource.manager, 'UTC')).toBe(true);
    expect(await syncRollupZone(dataSource.manager, 'UTC')).toBe(false);
    const utc = await rollups(dataSource);
    expect(utc.rp_request_day).not.toEqual(counted.rp_request_day);
    expect(utc.rp_booking_day).toEqual(counted.rp_booking_day);
    expect(await syncRollupZone(dataSource.manager, ZONE)).toBe(true);
    expect(await rollups(dataSource)).toEqual(counted);
  });
});
