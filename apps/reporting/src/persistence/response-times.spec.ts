import { InProcessTransport } from '@servicecenter/platform-events';
import type { SubgraphService } from '@servicecenter/platform-service';
import { createTestDatabase, seededRandom, type TestDatabase } from '@servicecenter/testing';
import type { DataSource } from 'typeorm';
import type { ReportScope, ResponseTimeRow } from '../domain/reports';
import { OpenWorkReader, responseTimeRow } from './open-work.reader';
import { ROLLUPS } from './rollups';
import { Where } from './sql';
import { startReportingService } from '../testing/service';

const NOW = new Date('2026-11-20T12:00:00.123456Z');

/** The response-time report as it was computed before the counters: aggregating the open requests. */
async function aggregated(ds: DataSource, s: ReportScope): Promise<ResponseTimeRow[]> {
  const w = new Where();
  const n = `${w.param(NOW)}::timestamptz`;
  w.scope(s, {
    customer: 'customer_id',
    group: 'product_group_id',
    product: 'product_id',
    priority: 'effective_priority',
  });
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT product_group_id, count(*)::int AS open,
       count(first_response_at)::int AS responded,
       avg(extract(epoch FROM first_response_at - registered_at))::float8 AS avg_response,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - registered_at))::float8 AS median_response,
       max(extract(epoch FROM first_response_at - registered_at))::float8 AS max_response,
       count(*) FILTER (WHERE first_response_at IS NULL)::int AS waiting,
       avg(extract(epoch FROM ${n} - registered_at)) FILTER (WHERE first_response_at IS NULL)::float8 AS avg_wait,
       max(extract(epoch FROM ${n} - registered_at)) FILTER (WHERE first_response_at IS NULL)::float8 AS max_wait
     FROM rp_request WHERE status <> 'CLOSED' AND ${w.conditions} GROUP BY product_group_id ORDER BY product_group_id NULLS LAST`,
    w.params,
  );
  return rows.map(responseTimeRow);
}

const scope = (extra: Partial<ReportScope> = {}): ReportScope => ({
  from: new Date(0),
  to: NOW,
  label: 'now',
  customerIds: null,
  ...extra,
});

const SCOPES: ReportScope[] = [
  scope(),
  scope({ customerIds: ['cust-a'] }),
  scope({ customerIds: ['cust-b', 'cust-c'] }),
  scope({ productGroupId: 'grp-payroll' }),
  scope({ productId: 'prod-2' }),
  scope({ priority: 'HIGH' }),
  scope({ customerIds: ['cust-a'], productGroupId: 'grp-hr', priority: 'LOW' }),
  scope({ customerIds: ['cust-nobody'] }),
];

/**
 * The response-time report reads maintained counters, bucket counts and indexes (migration
 * 1764000000460); its answers must be the ones the aggregate over the open requests gave, for
 * every filter, also after the changes that move a request in or out of the open set or
 * between counters: a reopened request, a first response arriving late, a closing, a corrected
 * priority or product group, a request removed.
 */
describe('response times of the open requests from maintained state', () => {
  let db: TestDatabase;
  let service: SubgraphService;
  let ds: DataSource;
  let reader: OpenWorkReader;

  beforeAll(async () => {
    db = await createTestDatabase('reporting_response_times');
    service = await startReportingService(db.url, new InProcessTransport(), () => NOW);
    ds = service.runtime().dataSource;
    reader = new OpenWorkReader(ds.manager);

    const next = seededRandom(42);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
    const rows: unknown[][] = [];
    for (let i = 0; i < 400; i++) {
      const registered = new Date(NOW.getTime() - Math.floor(next() * 90 * 86_400_000) - Math.floor(next() * 1000));
      // Many equal response times (whole hours), distinct ones to the microsecond, and a few
      // recorded before the registration (a clock skew in the source): all count.
      const kind = next();
      const response =
        kind < 0.3
          ? null
          : kind < 0.6
            ? Math.floor(next() * 48) * 3_600_000
            : kind < 0.95
              ? Math.floor(next() * 30 * 86_400_000) + 0.123
              : -Math.floor(next() * 600_000);
      rows.push([
        `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        `SC-${i}`,
        pick(['INCIDENT', 'CHANGE', 'INFORMATION']),
        pick(['cust-a', 'cust-b', 'cust-c']),
        pick(['prod-1', 'prod-2', null]),
        pick(['grp-payroll', 'grp-hr', null]),
        pick(['HIGH', 'MEDIUM', 'LOW']),
        next() < 0.3 ? 'CLOSED' : pick(['REGISTERED', 'IN_HANDLING', 'HANDED_OVER']),
        registered.toISOString(),
        response === null ? null : new Date(registered.getTime() + response).toISOString(),
      ]);
    }
    for (const r of rows)
      await ds.query(
        `INSERT INTO rp_request (request_id, number, type, customer_id, product_id, product_group_id, requested_priority,
                                 effective_priority, status, registered_at, first_response_at, version, sequence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9::timestamptz + interval '0.000456 second', $10, 1, '1')`,
        r,
      );
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  const expectSameAnswers = async () => {
    for (const s of SCOPES) expect(await reader.responseTimes(s, NOW)).toEqual(await aggregated(ds, s));
    // And the counters equal a count from scratch.
    for (const { table, recount } of ROLLUPS.filter((r) => r.table.startsWith('rp_open_response'))) {
      const kept: unknown[] = await ds.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4, 5`);
      const runner = ds.createQueryRunner();
      await runner.startTransaction();
      try {
        await runner.query(`DELETE FROM ${table}`);
        await runner.query(recount);
        expect(await runner.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4, 5`)).toEqual(kept);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    }
  };

  it('as generated: every filter, groups with and without a product group', async () => {
    const all = await reader.responseTimes(scope(), NOW);
    expect(all.map((r) => r.productGroupId)).toEqual(['grp-hr', 'grp-payroll', null]);
    expect(all.every((r) => r.responded > 0 && r.waiting > 0 && r.medianResponseHours !== null)).toBe(true);
    await expectSameAnswers();
  });

  it('a closed request reopened comes back with its response time', async () => {
    await ds.query(
      `UPDATE rp_request SET status = 'IN_HANDLING' WHERE request_id IN (SELECT request_id FROM rp_request WHERE status = 'CLOSED' ORDER BY number LIMIT 20)`,
    );
    await expectSameAnswers();
  });

  it('a first response arriving late moves a request from waiting to responded', async () => {
    await ds.query(
      `UPDATE rp_request SET first_response_at = registered_at + interval '7 hours 0.5 second'
        WHERE request_id IN (SELECT request_id FROM rp_request WHERE status <> 'CLOSED' AND first_response_at IS NULL ORDER BY number LIMIT 25)`,
    );
    await expectSameAnswers();
  });

  it('closing requests takes them out; corrections move them between groups and priorities', async () => {
    await ds.query(
      `UPDATE rp_request SET status = 'CLOSED' WHERE request_id IN (SELECT request_id FROM rp_request WHERE status <> 'CLOSED' ORDER BY number DESC LIMIT 30)`,
    );
    await expectSameAnswers();
    await ds.query(
      `UPDATE rp_request SET effective_priority = 'HIGH', product_group_id = 'grp-hr'
        WHERE request_id IN (SELECT request_id FROM rp_request WHERE status <> 'CLOSED' ORDER BY registered_at LIMIT 15)`,
    );
    await expectSameAnswers();
    await ds.query(
      `DELETE FROM rp_request WHERE request_id IN (SELECT request_id FROM rp_request ORDER BY title, number LIMIT 10)`,
    );
    await expectSameAnswers();
  });

  it('one open request left in a group: its own response time is the median; none: no row', async () => {
    await ds.query(`UPDATE rp_request SET status = 'CLOSED' WHERE product_group_id = 'grp-payroll'`);
    await ds.query(
      `UPDATE rp_request SET status = 'IN_HANDLING', first_response_at = registered_at + interval '90 minutes'
        WHERE request_id = (SELECT request_id FROM rp_request WHERE product_group_id = 'grp-payroll' ORDER BY number LIMIT 1)`,
    );
    const payroll = (await reader.responseTimes(scope(), NOW)).find((r) => r.productGroupId === 'grp-payroll');
    expect(payroll).toMatchObject({ open: 1, responded: 1, medianResponseHours: 1.5, waiting: 0 });
    await expectSameAnswers();
    await ds.query(`UPDATE rp_request SET status = 'CLOSED' WHERE product_group_id = 'grp-payroll'`);
    expect((await reader.responseTimes(scope(), NOW)).map((r) => r.productGroupId)).toEqual(['grp-hr', null]);
    await expectSameAnswers();
  });
});
