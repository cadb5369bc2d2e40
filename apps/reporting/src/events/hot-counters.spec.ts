import { InProcessTransport } from '@servicecenter/platform-events';
import type { SubgraphService } from '@servicecenter/platform-service';
import { TestClock, createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { ROLLUPS } from '../persistence/rollups';
import { importBacklog } from '../testing/backlog';
import { recountedRollups, rollups } from '../testing/rollups';
import { NOW } from '../testing/scenario';
import { startReportingService } from '../testing/service';
import { projectEvents } from './projections';

const ZONE = 'Europe/Amsterdam';
const REQUESTS = 400;

/**
 * The counters under a large batch: every request of one customer, group and day, all their
 * events (registration to survey, SLA targets, bookings) applied in one transaction. The
 * rollups are kept per statement (migration 1764000000480): exact, and each counter row is
 * written a few times per transaction, not once per request (a chain of row versions whose
 * cost grows with the square of the updates).
 */
describe('counter rows many events share in one transaction', () => {
  let db: TestDatabase;
  let service: SubgraphService;

  beforeAll(async () => {
    db = await createTestDatabase('reporting_hot_counters');
    service = await startReportingService(db.url, new InProcessTransport(), new TestClock(NOW).now);
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('are exact, and written a few times per transaction', async () => {
    const events = importBacklog(REQUESTS, { customers: 1, groups: 1, days: 1, concurrent: REQUESTS });
    const { dataSource } = service.runtime();
    const writes = await dataSource.transaction(async (manager) => {
      const applied = await projectEvents(
        manager,
        events.map(({ contract, envelope }) => ({ envelope, topic: contract.topic, data: envelope.data })),
        { replay: false },
      );
      expect(applied).toBe(events.length);
      // This transaction's row writes per counter table (PostgreSQL counts them per transaction).
      const rows: { relname: string; writes: string }[] = await manager.query(
        `SELECT relname, n_tup_ins + n_tup_upd + n_tup_del AS writes FROM pg_stat_xact_user_tables WHERE relname = ANY($1)`,
        [ROLLUPS.map((r) => r.table)],
      );
      return Object.fromEntries(rows.map((r) => [r.relname, Number(r.writes)]));
    });

    const counted = await rollups(dataSource);
    expect(await recountedRollups(dataSource, ZONE)).toEqual(counted);
    // One customer and group, three priorities, one day (two in Amsterdam at most): a handful of counters.
    const registered = counted.rp_request_day.reduce((sum, r) => sum + Number(r.registered), 0);
    expect(registered).toBe(REQUESTS);
    expect(counted.rp_request_day.length).toBeLessThanOrEqual(12);
    const open = counted.rp_open_response.reduce((sum, r) => sum + Number(r.responded) + Number(r.waiting), 0);
    expect(open).toBe(counted.rp_open_request.length);
    expect(open).toBeGreaterThan(0);
    expect(counted.rp_open_response.length).toBeLessThanOrEqual(3);

    // Per statement, not per row: the 400 requests' few counter rows were written a few times each.
    expect(writes.rp_request_day).toBeLessThan(REQUESTS / 4);
    expect(writes.rp_open_response).toBeLessThan(REQUESTS / 4);
    expect(writes.rp_sla_target_day).toBeLessThan(REQUESTS / 4);
    expect(writes.rp_survey_day).toBeLessThan(REQUESTS / 4);
    expect(writes.rp_booking_day).toBeLessThan(REQUESTS / 4);
  });
});
