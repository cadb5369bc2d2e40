import { DEV_JWT_SECRET } from '@servicecenter/platform-auth';
import { startTestStack, type TestStack } from '../testing/test-stack';
// `npm run seed -- --requests N` lives in tools/, which is no Nx project; this spec keeps the
// generator working against the current graph, so it imports it by path.
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports -- tools/seed is a script, not a library; see above
import { MovingClock } from '../../../../tools/seed/generator/driver';
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports -- as above
import { generate, type GenerateSummary } from '../../../../tools/seed/generator/run';

interface Row {
  id: string;
  number: string;
  title: string;
  type: string;
  status: string;
  registeredAt: string;
  sla: { trackedSince: string; targets: { kind: string }[] } | null;
}

type Page = { requests: { edges: { node: Row }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };

const UNTIL = new Date('2026-11-20T16:00:00Z'); // a Friday afternoon
const REQUESTS = 60;
const SEED = 4242;

/** Plays the generator on a fresh graph whose clock it moves; returns the graph and what it made. */
async function generated(
  seed: number,
  options: { importHistories?: boolean; liveOnly?: boolean } = {},
): Promise<{ ts: TestStack; clock: MovingClock; summary: GenerateSummary; rows: Row[]; lead: string }> {
  const clock = new MovingClock(Date.parse('2025-01-01T00:00:00Z'));
  const ts = await startTestStack({ clock: clock.now });
  const runTimers = async () => {
    for (const service of Object.values(ts.stack.services)) await service.runtime().timers.runDue();
  };
  const summary = await generate({
    requests: REQUESTS,
    seed,
    until: UNTIL,
    stack: { gatewayUrl: ts.stack.gatewayUrl, clock, runTimers },
    secret: DEV_JWT_SECRET,
    concurrency: 16,
    keepTracks: true,
    ...options,
  });
  const lead = await ts.client.token('team_lead', { sub: 'g-p-lead-01' });
  const rows = await readAll(ts, lead);
  return { ts, clock, summary, rows, lead };
}

async function readAll(ts: TestStack, token: string): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Page = await ts.client.ok<Page>(
      `query($after: String) { requests(first: 100, after: $after, orderBy: REGISTERED_AT_ASC) {
         edges { node { id number title type status registeredAt sla { trackedSince targets { kind } } } } pageInfo { hasNextPage endCursor } } }`,
      { after },
      token,
    );
    rows.push(...page.requests.edges.map((e) => e.node));
    if (!page.requests.pageInfo.hasNextPage) return rows;
    after = page.requests.pageInfo.endCursor;
  }
}

describe('npm run seed -- --requests N (the generator), in-process with a moving clock', () => {
  let first: Awaited<ReturnType<typeof generated>>;

  beforeAll(async () => {
    first = await generated(SEED);
  }, 120_000);
  afterAll(async () => {
    await first?.ts.stop();
  });

  it('plays every history through the graph without an error', () => {
    expect(first.summary.drive.errors).toEqual([]);
    expect(first.summary.drive.requests).toBe(REQUESTS);
    expect(first.summary.plan).toMatchObject({ requests: REQUESTS, customers: 10, products: 20, disruptions: 1 });
  });

  it('leaves requests of every type and in every status the schema knows', async () => {
    const enumValues = async (name: string) =>
      (
        await first.ts.client.ok<{ __type: { enumValues: { name: string }[] } }>(
          `query($name: String!) { __type(name: $name) { enumValues { name } } }`,
          { name },
          first.lead,
        )
      ).__type.enumValues.map((v) => v.name);
    const generatedRows = first.rows.filter((r) => r.title.includes(` · #${SEED}-`));
    expect(generatedRows).toHaveLength(REQUESTS);
    expect(new Set(generatedRows.map((r) => r.type))).toEqual(new Set(await enumValues('RequestType')));
    expect(new Set(generatedRows.map((r) => r.status))).toEqual(new Set(await enumValues('RequestStatus')));
    // The recent requests end where their story says: one of every open status
    const expected = [...(first.summary.tracks?.values() ?? [])]
      .filter((t) => t.expect)
      .map((t) => [t.title, t.expect]);
    expect(expected.length).toBeGreaterThanOrEqual(14);
    const byTitle = new Map(first.rows.map((r) => [r.title, r.status]));
    expect(expected.map(([title]) => [title, byTitle.get(title as string)])).toEqual(expected);
  });

  it('spreads the histories over the past year, and the SLA read model tracks every request from its registration', () => {
    const times = first.rows.map((r) => Date.parse(r.registeredAt));
    const day = 24 * 3_600_000;
    expect(Math.min(...times)).toBeLessThan(UNTIL.getTime() - 300 * day);
    expect(Math.max(...times)).toBeLessThanOrEqual(UNTIL.getTime());
    expect(first.rows.filter((r) => r.sla === null).map((r) => r.number)).toEqual([]);
    expect(
      first.rows
        .filter((r) => Date.parse(r.sla?.trackedSince ?? '') !== Date.parse(r.registeredAt))
        .map((r) => r.number),
    ).toEqual([]);
  });

  it('opens a disruption notice with linked requests of its product', async () => {
    const { disruptionNotices } = await first.ts.client.ok<{
      disruptionNotices: { nodes: { title: string; status: string; linkedRequests: { id: string }[] }[] };
    }>(`{ disruptionNotices(first: 10) { nodes { title status linkedRequests { id } } } }`, {}, first.lead);
    expect(disruptionNotices.nodes).toHaveLength(1);
    expect(disruptionNotices.nodes[0]).toMatchObject({ status: 'CLOSED' });
    expect(disruptionNotices.nodes[0].linkedRequests.length).toBeGreaterThanOrEqual(2);
  });

  it("tests a release of a product and records the coordinator's decision as advised", async () => {
    const decided = Object.values(first.summary.drive.releaseDecisions).reduce((a, b) => a + b, 0);
    expect(decided).toBeGreaterThanOrEqual(1);
    const uat = await first.ts.client.token('uat_coordinator', { sub: 'g-p-uat' });
    const { releases } = await first.ts.client.ok<{
      releases: {
        nodes: {
          status: string;
          product: { id: string };
          decisions: { decision: string; advice: { outcome: string } }[];
          testRuns: { nodes: { status: string; counts: { total: number } }[] };
        }[];
      };
    }>(
      `{ releases(first: 10) { nodes { status product { id } decisions { decision advice { outcome } } testRuns { nodes { status counts { total } } } } } }`,
      {},
      uat,
    );
    expect(releases.nodes.length).toBeGreaterThanOrEqual(1);
    for (const release of releases.nodes) {
      expect(release.product.id).toMatch(/^g-prod-/);
      expect(release.decisions.length).toBeGreaterThanOrEqual(1);
      for (const d of release.decisions) expect(d.decision).toBe(d.advice.outcome);
      expect(release.testRuns.nodes.map((r) => [r.status, r.counts.total])).toEqual(
        release.testRuns.nodes.map(() => ['COMPLETED', 5]),
      );
    }
  });

  it('gives the same requests for the same seed, and a rerun on the same desk adds nothing', async () => {
    const again = await generate({
      requests: REQUESTS,
      seed: SEED,
      until: UNTIL,
      stack: { gatewayUrl: first.ts.stack.gatewayUrl, clock: first.clock },
      secret: DEV_JWT_SECRET,
    });
    expect(again.drive).toMatchObject({ requests: 0, skipped: REQUESTS, diverged: 0 });
    expect(again.directory.created).toBe(0);

    const second = await generated(SEED);
    try {
      expect(view(second.rows)).toEqual(view(first.rows));
    } finally {
      await second.ts.stop();
    }
  }, 180_000); // two more generations of the desk

  it('--import: imports the histories that need no other service and leaves the same desk as playing them', async () => {
    const imported = await generated(SEED, { importHistories: true });
    try {
      expect(imported.summary.drive).toMatchObject({ requests: REQUESTS, diverged: 0 });
      expect(imported.summary.drive.imported).toBeGreaterThan(REQUESTS / 2);
      expect(view(imported.rows)).toEqual(view(first.rows));
      // Imported at their planned instants (played ones may start a little later: the clock
      // runs up to maxSkew ahead), and tracked by the SLA service from then on.
      const planned = new Map(
        [...(imported.summary.tracks?.values() ?? [])].map((t) => [t.title, new Date(t.steps[0].at).toISOString()]),
      );
      const onTime = imported.rows.filter((r) => r.registeredAt === planned.get(r.title));
      expect(onTime.length).toBeGreaterThanOrEqual(imported.summary.drive.imported);
      for (const row of imported.rows) expect(row.sla?.trackedSince).toBe(row.registeredAt);
      // A history that ends with the reopened request treated as a new one is imported too: its
      // follow-up is registered by the import (and is in the same desk above).
      const followUpTitles = [...(imported.summary.tracks?.values() ?? [])].flatMap((t) =>
        t.steps.flatMap((s) =>
          s.op.kind === 'request' && s.op.mutation === 'treatAsNewRequest' ? [String(s.op.input.title)] : [],
        ),
      );
      const continued = (
        (await imported.ts.stack.services.requests
          .runtime()
          .dataSource.query(
            `SELECT f.title FROM request_import i JOIN request f ON f.id = i.continued_request_id`,
          )) as { title: string }[]
      ).map((c) => c.title);
      expect(continued.length).toBeGreaterThanOrEqual(1);
      expect(followUpTitles).toEqual(expect.arrayContaining(continued));
      expect(view(imported.rows).filter((r) => continued.some((title) => r.startsWith(`${title} |`)))).toHaveLength(
        continued.length,
      );
    } finally {
      await imported.ts.stop();
    }
  }, 120_000); // another generation of the desk

  it('--live-only: plays only the histories that need another service, as the whole run plays them, and imports nothing', async () => {
    const live = await generated(SEED, { importHistories: true, liveOnly: true });
    try {
      const { drive } = live.summary;
      expect(drive).toMatchObject({ imported: 0, diverged: 0 });
      expect(drive.requests).toBeGreaterThan(0);
      expect(drive.requests + (drive.toImport?.length ?? 0)).toBe(REQUESTS);
      expect(live.rows).toHaveLength(drive.requests);
      expect(view(first.rows)).toEqual(expect.arrayContaining(view(live.rows)));
      expect(drive.live.ticks).toBeGreaterThan(0);
    } finally {
      await live.ts.stop();
    }
  }, 120_000); // the live part of another generation
});

const view = (rows: Row[]) => rows.map((r) => `${r.title} | ${r.type} | ${r.status}`).sort();
