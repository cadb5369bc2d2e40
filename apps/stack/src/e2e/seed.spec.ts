import { DEV_JWT_SECRET } from '@servicecenter/platform-auth';
import { TestClock, waitFor } from '@servicecenter/testing';
import { startTestStack, type TestStack } from '../testing/test-stack';
// `npm run seed` lives in tools/, which is no Nx project; this spec keeps it working
// against the current graph, so it imports the seed function by path.
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports -- tools/seed is a script, not a library; see above
import { seed, type SeedSummary } from '../../../../tools/seed/run';

interface Row {
  number: string;
  type: string;
  status: string;
  completionReason: string | null;
  version: number;
  updatedAt: string;
}

describe('npm run seed, through the gateway', () => {
  let ts: TestStack;
  let lead: string;
  let first: SeedSummary;
  const clock = new TestClock('2026-11-23T08:00:00Z'); // a Monday morning in Amsterdam

  const enumValues = async (name: string) =>
    (
      await ts.client.ok<{ __type: { enumValues: { name: string }[] } }>(
        `query($name: String!) { __type(name: $name) { enumValues { name } } }`,
        { name },
        lead,
      )
    ).__type.enumValues.map((v) => v.name);
  const allRequests = async () =>
    (
      await ts.client.ok<{ requests: { totalCount: number; edges: { node: Row }[] } }>(
        `{ requests(first: 100, orderBy: REGISTERED_AT_ASC) { totalCount edges { node { number type status completionReason version updatedAt } } } }`,
        {},
        lead,
      )
    ).requests;
  const directoryCounts = () =>
    ts.client.ok(
      `{ customers(first: 0) { totalCount } products(first: 0) { totalCount } people(first: 0) { totalCount } teams { id lead { id } } productGroups { id }
         knowledgeArticles(first: 0) { totalCount } }`,
      {},
      lead,
    );

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    lead = await ts.client.token('team_lead', { sub: 'p-sanne-jansen' });
    first = await seed({ url: ts.stack.gatewayUrl, secret: DEV_JWT_SECRET });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('leaves requests in every status and of every type the schema knows', async () => {
    const { totalCount, edges } = await allRequests();
    const rows = edges.map((e) => e.node);
    expect(totalCount).toBe(first.requests.created);
    expect(totalCount).toBeGreaterThanOrEqual(25);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(await enumValues('RequestStatus')));
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(await enumValues('RequestType')));
    expect(new Set(rows.map((r) => r.completionReason).filter(Boolean))).toEqual(
      new Set(['SOLVED', 'WORKAROUND', 'DUPLICATE', 'DECLINED', 'WITHDRAWN']),
    );
    expect(first.byStatus).toEqual(
      Object.fromEntries(
        [...new Set(rows.map((r) => r.status))].map((s) => [s, rows.filter((r) => r.status === s).length]),
      ),
    );
  });

  it('loads the whole directory and knowledge base, and links one change to requests of several customers', async () => {
    expect(first.directory).toEqual({ created: 47, skipped: 0 });
    expect(first.knowledge).toEqual({ created: 5, skipped: 0 });
    const { change } = await ts.client.ok<{ change: { customerCount: number; requestCount: number } }>(
      `{ change(ref: "PD-2417") { customerCount requestCount } }`,
      {},
      lead,
    );
    expect(change.customerCount).toBeGreaterThanOrEqual(3);
  });

  it('shows the running SLA clocks of seeded requests in the federated request query', async () => {
    type Node = { number: string; sla: { targets: { kind: string; state: string; dueAt: string | null }[] } | null };
    const query = `{ requests(filter: { status: [IN_HANDLING, ACCEPTED] }, first: 20) { edges { node { number sla { targets { kind state dueAt } } } } } }`;
    const read = await waitFor(
      () => ts.client.ok<{ requests: { edges: { node: Node }[] } }>(query, {}, lead),
      (r) => r.requests.edges.length > 0 && r.requests.edges.every((e) => e.node.sla !== null),
      { what: 'SLA state of the seeded requests' },
    );
    const running = read.requests.edges.flatMap((e) => e.node.sla?.targets ?? []).filter((t) => t.state === 'RUNNING');
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((t) => t.dueAt !== null && t.dueAt > clock.now().toISOString())).toBe(true);
  });

  it('runs a second time without failing and without changing anything', async () => {
    const before = { requests: await allRequests(), directory: await directoryCounts() };
    const again = await seed({ url: ts.stack.gatewayUrl, secret: DEV_JWT_SECRET });
    expect(again.directory).toEqual({ created: 0, skipped: 47 });
    expect(again.knowledge).toEqual({ created: 0, skipped: 5 });
    expect(again.requests).toEqual({
      scenarios: first.requests.scenarios,
      created: 0,
      skipped: first.requests.scenarios,
    });
    expect({ requests: await allRequests(), directory: await directoryCounts() }).toEqual(before);
  });
});
