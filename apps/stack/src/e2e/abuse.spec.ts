import { SignJWT } from 'jose';
import { DEFAULT_AUDIENCE, DEV_ISSUER, DEV_JWT_SECRET } from '@servicecenter/platform-auth';
import { startTestStack, type TestStack } from '../testing/test-stack';

// Stays on string operations: it sends hostile text on purpose (aliases, depth, bad tokens) that no typed document expresses.
/**
 * Abuse through the whole graph with the default limits (docs/limits.md): what one caller may
 * ask in one operation, and which tokens the gateway accepts.
 */
const COMPLIANCE = `slaCompliance(input: { customerId: "acme", period: { from: "2026-01-01T00:00:00Z", to: "2026-04-01T00:00:00Z" } }) {
  requests targets { kind counted met breached percentageMet } }`;
const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const QUEUE = `{ requestQueue(first: 50) { totalCount edges { node { number status sla { trackedSince } escalations { id } } } } }`;

describe('one caller cannot take the graph down with one request', () => {
  let ts: TestStack;
  let customer: string;
  let teamLead: string;
  beforeAll(async () => {
    ts = await startTestStack();
    customer = await ts.client.token('customer', { customerId: 'acme', sub: 'u-acme-abuse' });
    teamLead = await ts.client.token('team_lead', { sub: 'p-team-lead' });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  /** Sends the abuse and a team lead's queue page together: the abuse is refused, the queue answered. */
  async function refusedAlongsideTheQueue(query: string, extra: Record<string, unknown> = {}) {
    const [abuse, queue] = await Promise.all([
      fetch(ts.stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` },
        body: JSON.stringify({ query, ...extra }),
      }).then(async (r) => ({
        status: r.status,
        ...((await r.json()) as { errors?: { message: string; extensions?: { code?: string } }[] }),
      })),
      ts.client.request(QUEUE, {}, teamLead),
    ]);
    expect(queue.errors).toBeUndefined();
    expect(abuse.status).toBe(400);
    return abuse;
  }

  it('refuses 300 aliases of slaCompliance, and 25 (under the alias limit) by their cost', async () => {
    const flood = await refusedAlongsideTheQueue(aliases(300, COMPLIANCE));
    expect(flood.errors?.[0].extensions?.code).toMatch(/GRAPHQL_(PARSE|VALIDATION)_FAILED/);
    const costly = await refusedAlongsideTheQueue(aliases(25, COMPLIANCE));
    expect(costly.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringMatching(/^Operation cost \d+ exceeds the limit of 3000\.$/),
    });
    // One compliance report is a normal question.
    const one = await ts.client.request(`{ ${COMPLIANCE} }`, {}, customer);
    expect(one.errors).toBeUndefined();
  });

  it('refuses 1,000 aliases of requestsStatus or of request(id), and a document of 1,000 operations', async () => {
    const status = await refusedAlongsideTheQueue(aliases(1000, 'requestsStatus { service }'));
    expect(status.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const byId = await refusedAlongsideTheQueue(
      aliases(1000, 'request(id: "00000000-0000-0000-0000-000000000000") { id }'),
    );
    expect(byId.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const operations = Array.from({ length: 1000 }, (_, i) => `query Q${i} { requestsStatus { service } }`).join(' ');
    const many = await refusedAlongsideTheQueue(operations, { operationName: 'Q1' });
    expect(many.errors?.[0].extensions?.code).toMatch(/GRAPHQL_(PARSE|VALIDATION)_FAILED/);
    const two = await refusedAlongsideTheQueue(
      'query A { requestsStatus { service } } query B { slaStatus { service } }',
      {
        operationName: 'A',
      },
    );
    expect(two.errors?.[0]).toMatchObject({ message: 'Document has 2 operations; the limit is 1.' });
  });

  it('refuses HTTP batches', async () => {
    const response = await fetch(ts.stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${teamLead}` },
      body: JSON.stringify([{ query: '{ requestsStatus { service } }' }, { query: '{ slaStatus { service } }' }]),
    });
    expect(response.status).toBe(400);
  });

  describe('tokens', () => {
    const key = new TextEncoder().encode(DEV_JWT_SECRET);
    const now = () => Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>, times: { iat?: number; exp?: number }) => {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEFAULT_AUDIENCE);
      if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
      if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
      return jwt.sign(key);
    };
    const lead = { sub: 'p-team-lead', roles: ['team_lead'] };
    const refused = async (token: string) => {
      const answer = await ts.client.request('{ requestQueue(first: 1) { totalCount } }', {}, token);
      expect(answer.status).toBe(401);
      expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      return answer.errors?.[0].message;
    };

    it('refuses a token without exp, one issued ten years ahead, one with a numeric sub or an unknown role', async () => {
      expect(await refused(await sign(lead, { iat: now() }))).toMatch(/exp/);
      const tenYears = now() + 10 * 365 * 86_400;
      expect(await refused(await sign(lead, { iat: tenYears, exp: tenYears + 3600 }))).toMatch(/iat|exp/);
      expect(await refused(await sign({ ...lead, sub: 42 }, { iat: now(), exp: now() + 3600 }))).toMatch(/sub/);
      expect(
        await refused(await sign({ ...lead, roles: ['team_lead', 'root'] }, { iat: now(), exp: now() + 3600 })),
      ).toMatch(/unknown role/);
      const fine = await ts.client.request(
        '{ requestQueue(first: 1) { totalCount } }',
        {},
        await sign(lead, { iat: now(), exp: now() + 3600 }),
      );
      expect(fine.errors).toBeUndefined();
    });
  });
});
