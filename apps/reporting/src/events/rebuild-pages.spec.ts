import { InProcessTransport } from '@servicecenter/platform-events';
import type { SubgraphService } from '@servicecenter/platform-service';
import { TestClock, createTestDatabase, type TestDatabase } from '@servicecenter/testing';
import { ReportQueries } from '../domain/report-queries';
import { ReportReader } from '../persistence/report.reader';
import { ROLLUPS } from '../persistence/rollups';
import { NOW, everyReport, scenario, type ScenarioEvent } from '../testing/scenario';
import { SHADOW_SCHEMA, rebuildFromJournal } from './rebuild';
import { startReportingService } from '../testing/service';

const ZONE = 'Europe/Amsterdam';

/**
 * `npm run reporting:rebuild` from the journal replays in pages into shadow tables and swaps
 * them in at the end: several transactions, the live tables untouched until the swap (a
 * rebuild stopped midway changes nothing, and the next one completes), events arriving
 * meanwhile included, and the same reports and rollups as when the events arrived live.
 */
describe('rebuilding the reporting read models in pages', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  let reports: ReportQueries;
  const transport = new InProcessTransport();
  const clock = new TestClock(NOW);
  const { events } = scenario();
  const deliver = async (list: ScenarioEvent[]) => {
    for (const e of list)
      await transport.publish([{ topic: e.contract.topic, key: e.envelope.subject, envelope: e.envelope }]);
  };
  const query = <T>(sql: string, params?: unknown[]): Promise<T> => service.runtime().dataSource.query(sql, params);
  const everything = async () => ({
    ...(await everyReport(reports)),
    freshness: (await reports.freshness()).readModels.map((r) => ({ ...r })),
    rollups: Object.fromEntries(
      await Promise.all(
        ROLLUPS.map(async ({ table }) => [table, await query<unknown[]>(`SELECT * FROM ${table} t ORDER BY t::text`)]),
      ),
    ) as Record<string, unknown[]>,
  });
  /** What the migrations made: index, trigger and row-function names (later migrations refer to them). */
  const shape = async () => ({
    indexes: await query<unknown[]>(
      `SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE 'rp\\_%' ORDER BY 1, 2`,
    ),
    triggers: await query<unknown[]>(
      `SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal ORDER BY 1, 2`,
    ),
    functions: await query<unknown[]>(
      `SELECT p.oid::regprocedure::text AS f FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
          AND p.proname LIKE 'rp\\_%' ORDER BY 1`,
    ),
  });

  beforeAll(async () => {
    db = await createTestDatabase('reporting_rebuild_pages');
    service = await startReportingService(db.url, transport, clock.now);
    reports = new ReportQueries(new ReportReader(service.runtime().dataSource.manager, ZONE), ZONE, clock.now);
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('a rebuild stopped midway leaves the live tables as they were', async () => {
    await deliver(events.slice(0, -10));
    const live = await everything();
    expect(live.rollups.rp_open_request.length).toBeGreaterThan(0);
    let pagesBeforeStop = 0;
    await expect(
      rebuildFromJournal(service.runtime().dataSource, {
        pageEvents: 5,
        onPage: ({ pages }) => {
          pagesBeforeStop = pages;
          if (pages === 3) throw new Error('the rebuild was stopped');
        },
      }),
    ).rejects.toThrow('the rebuild was stopped');
    // Three pages were committed into the shadow tables; the reports still read the live ones.
    expect(pagesBeforeStop).toBe(3);
    expect(await query<unknown[]>(`SELECT 1 FROM ${SHADOW_SCHEMA}.rp_request`)).not.toHaveLength(0);
    expect(await everything()).toEqual(live);
  });

  it('the next rebuild completes in pages, with the events that arrived meanwhile, and equals the live figures', async () => {
    const before = await shape();
    let liveWithAll: Awaited<ReturnType<typeof everything>> | undefined;
    const result = await rebuildFromJournal(service.runtime().dataSource, {
      pageEvents: 5,
      catchUpEvents: 3,
      onPage: async ({ pages }) => {
        if (pages !== 2) return;
        // The live consumer goes on while the rebuild pages: the last ten events arrive now.
        await deliver(events.slice(-10));
        liveWithAll = await everything();
      },
    });
    expect(result).toMatchObject({ source: 'journal', eventsSkipped: 0 });
    // The journal up to the start, the ten that came meanwhile by the catch-up: each once.
    expect(result.eventsReplayed).toBe(events.length);
    expect(result.pages).toBeGreaterThan(events.length / 5);
    expect(liveWithAll?.rollups.rp_open_request.length).toBeGreaterThan(0);
    expect(await everything()).toEqual(liveWithAll);
    expect(await shape()).toEqual(before);
    expect(
      await query<unknown[]>(`SELECT 1 FROM pg_namespace WHERE nspname IN ('${SHADOW_SCHEMA}', 'rp_retired')`),
    ).toHaveLength(0);
  });

  it('after the swap the triggers keep the rebuilt rollups: a redelivery changes nothing, a change counts as live', async () => {
    const rebuilt = await everything();
    // A redelivery is skipped (the journal has it); the rollups stay.
    await deliver(events.slice(-1));
    expect(await everything()).toEqual(rebuilt);
    // A request closing and one answered: the triggers on the swapped-in tables count them.
    const open = await query<{ request_id: string }[]>(
      `SELECT request_id FROM rp_open_request ORDER BY number LIMIT 2`,
    );
    await query(`UPDATE rp_request SET status = 'CLOSED' WHERE request_id = $1`, [open[0].request_id]);
    await query(`UPDATE rp_request SET first_response_at = registered_at + interval '3 hours' WHERE request_id = $1`, [
      open[1].request_id,
    ]);
    expect((await everything()).rollups).not.toEqual(rebuilt.rollups);
    // Recounting from scratch gives what the triggers keep.
    const runner = service.runtime().dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      for (const { table, recount, zoned } of ROLLUPS) {
        const kept = await runner.query(`SELECT * FROM ${table} t ORDER BY t::text`);
        await runner.query(`DELETE FROM ${table}`);
        await runner.query(recount, zoned ? [ZONE] : []);
        expect(await runner.query(`SELECT * FROM ${table} t ORDER BY t::text`)).toEqual(kept);
      }
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
