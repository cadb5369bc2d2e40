import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { GraphQLError, GraphQLScalarType, parse } from 'graphql';
import { signDevToken } from '@servicecenter/platform-auth';
import { silentLogger } from '@servicecenter/platform-logging';
import { loadGatewayConfig } from './config';
import { startGateway, type RunningGateway } from './gateway';

const SECRET = 'gateway-spec-secret-that-is-long-enough';
const SHARED = 'gateway-spec-shared-secret';

/** A subgraph that declares its costs like ours do, and counts every call it receives. */
const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
  scalar DateTime
  type Query {
    status: String!
    compliance(from: DateTime): Compliance! @cost(weight: 200)
    items(first: Int, after: String): ItemConnection!
      @cost(weight: 10)
      @listSize(slicingArguments: ["first"], assumedSize: 20, sizedFields: ["edges"], requireOneSlicingArgument: false)
    item(id: ID!): Item
    locked: String
    broken: String
  }
  type Compliance { percentage: Float! }
  type ItemConnection { totalCount: Int! edges: [ItemEdge!]! }
  type ItemEdge { node: Item! }
  type Item @key(fields: "id") { id: ID! name: String! parent: Item }
`;

const strictDateTime = new GraphQLScalarType({
  name: 'DateTime',
  parseValue(value) {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/[zZ]|[+-]\d\d:\d\d$/.test(value)) {
      throw new GraphQLError('DateTime needs an ISO date-time with an offset');
    }
    return new Date(value);
  },
  serialize: (value) => (value as Date).toISOString(),
});

interface FakeSubgraph {
  url: string;
  calls: string[];
  stop(): Promise<void>;
}

async function startFakeSubgraph(): Promise<FakeSubgraph> {
  const calls: string[] = [];
  const item = (id: string) => ({ id, name: `Item ${id}` });
  const server = new ApolloServer({
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    schema: buildSubgraphSchema({
      typeDefs: parse(SDL),
      resolvers: {
        DateTime: strictDateTime,
        Query: {
          status: () => 'ok',
          compliance: () => ({ percentage: 97.5 }),
          items: (_: unknown, { first }: { first?: number }) => ({
            totalCount: 3,
            edges: [1, 2, 3].slice(0, first ?? 20).map((n) => ({ node: item(String(n)) })),
          }),
          item: (_: unknown, { id }: { id: string }) => item(id),
        },
      } as never,
    }),
  });
  await server.start();
  const app = express();
  app.use(express.json());
  app.use((req, res, next) => {
    const query = String(req.body?.query ?? '');
    calls.push(query);
    if (query.includes('locked')) {
      // What our subgraphs answer a call that does not come through the gateway.
      res.status(401).json({
        errors: [{ message: 'calls must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }],
      });
      return;
    }
    if (query.includes('broken')) {
      res.status(502).type('text/html').send('<html>upstream sc-internal-db-7:5432 refused</html>');
      return;
    }
    next();
  });
  app.use(expressMiddleware(server));
  const http: Server = createServer(app);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`,
    calls,
    stop: async () => {
      await new Promise((resolve) => http.close(resolve));
      await server.stop();
    },
  };
}

function supergraphFor(url: string): string {
  const result = composeServices([{ name: 'items', url, typeDefs: parse(SDL) }]);
  if (!result.supergraphSdl) throw new Error(result.errors?.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}

interface Answer {
  status: number;
  headers: Headers;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post(gateway: RunningGateway, body: unknown, token?: string): Promise<Answer> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

const token = (sub = 'p-tess') => signDevToken(SECRET, { sub, roles: ['team_lead'] });
const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

describe('the gateway in production mode in front of a subgraph', () => {
  let subgraph: FakeSubgraph;
  let gateway: RunningGateway;

  const start = (env: Record<string, string> = {}) =>
    startGateway({
      config: {
        ...loadGatewayConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, SUBGRAPH_SHARED_SECRET: SHARED, ...env }),
        port: 0,
      },
      supergraphSdl: supergraphFor(subgraph.url),
      logger: silentLogger,
    });

  beforeAll(async () => {
    subgraph = await startFakeSubgraph();
    gateway = await start();
  });
  afterAll(async () => {
    await gateway?.stop();
    await subgraph?.stop();
  });
  beforeEach(() => {
    subgraph.calls.length = 0;
  });

  /** Sends the abusive body and a normal query side by side; the abuse is refused before any subgraph call. */
  async function refusedBeforeExecution(body: unknown): Promise<Answer> {
    const tess = await token();
    subgraph.calls.length = 0;
    const [abuse, normal] = await Promise.all([
      post(gateway, body, tess),
      post(gateway, { query: '{ status }' }, tess),
    ]);
    expect(normal).toMatchObject({ status: 200, data: { status: 'ok' } });
    expect(subgraph.calls).toEqual([expect.stringContaining('status')]);
    return abuse;
  }

  it('refuses a report asked many times by its cost: every alias counts', async () => {
    const bomb = await refusedBeforeExecution({ query: aliases(16, 'compliance { percentage }') });
    expect(bomb.status).toBe(400);
    expect(bomb.errors?.[0]).toMatchObject({
      message: 'Operation cost 3200 exceeds the limit of 3000.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost: 3200, maxCost: 3000 },
    });
    const flood = await refusedBeforeExecution({ query: aliases(300, 'compliance { percentage }') });
    expect(flood.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('multiplies a list by the page asked for (first), the default page when absent', async () => {
    const tess = await token();
    const page = await post(gateway, { query: '{ items(first: 2) { edges { node { id name } } } }' }, tess);
    expect(page.data).toEqual({
      items: { edges: [{ node: { id: '1', name: 'Item 1' } }, { node: { id: '2', name: 'Item 2' } }] },
    });
    // 10 + 100 pages × (edges + node + parent + parent) = 410 per alias; 8 aliases = 3280.
    const pages = await refusedBeforeExecution({
      query: aliases(8, 'items(first: 100) { edges { node { parent { parent { id } } } } }'),
    });
    expect(pages.errors?.[0]).toMatchObject({ message: 'Operation cost 3280 exceeds the limit of 3000.' });
    const variables = await refusedBeforeExecution({
      query: `query($n: Int) { ${aliases(8, 'items(first: $n) { edges { node { parent { parent { id } } } } }').slice(1, -1)} }`,
      variables: { n: 100 },
    });
    expect(variables.errors?.[0]).toMatchObject({ message: 'Operation cost 3280 exceeds the limit of 3000.' });
  });

  it('refuses more aliases than allowed, even of a cheap field', async () => {
    const answer = await refusedBeforeExecution({ query: aliases(31, 'item(id: "1") { id }') });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringMatching(/aliases/i),
    });
  });

  it('refuses deep nesting', async () => {
    const deep = `{ item(id: "1") { ${'parent { '.repeat(12)}id${' }'.repeat(12)} } }`;
    const answer = await refusedBeforeExecution({ query: deep });
    expect(answer.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringMatching(/depth/i),
    });
  });

  it('refuses a huge document (1,000 aliases, 51 KB) while parsing it', async () => {
    const huge = aliases(1000, 'status');
    const answer = await refusedBeforeExecution({ query: huge.padEnd(51_000, ' ') });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      message: expect.stringMatching(/Document contains more tha[nt] 3000 tokens/),
    });
  });

  it('refuses a document of many operations and too many directives', async () => {
    const operations = Array.from({ length: 100 }, (_, i) => `query Q${i} { status }`).join('\n');
    const many = await refusedBeforeExecution({ query: operations, operationName: 'Q0' });
    expect(many.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: 'Document has 100 operations; the limit is 1.',
    });
    const directives = await refusedBeforeExecution({ query: `{ status ${'@include(if: true) '.repeat(21)}}` });
    expect(directives.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringMatching(/directives/i),
    });
  });

  it('answers a body over 1 MB and a body that is not JSON as GraphQL errors with a code, not an HTML page', async () => {
    const tess = await token();
    const send = (body: string) =>
      fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tess}` },
        body,
      });
    const tooLarge = await send(JSON.stringify({ query: `{ status }`, variables: { pad: 'x'.repeat(1_100_000) } }));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toMatch(/json/);
    expect(await tooLarge.json()).toEqual({
      errors: [{ message: expect.stringMatching(/larger than 1mb/), extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
    const notJson = await send('{"query": "{ status }"');
    expect(notJson.status).toBe(400);
    const body = await notJson.text();
    expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(body).not.toMatch(/<html|at \w+ \(|node_modules/i);
    expect(subgraph.calls).toEqual([]);
  });

  it('refuses HTTP batches', async () => {
    const answer = await refusedBeforeExecution([{ query: '{ status }' }, { query: '{ status }' }]);
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0].message).toMatch(/batching/i);
  });

  it('passes a subgraph 401 on with its code, without the subgraph URL or body', async () => {
    const answer = await post(gateway, { query: '{ locked }' }, await token());
    expect(answer.errors).toEqual([
      { message: 'calls must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(JSON.stringify(answer)).not.toContain('127.0.0.1');
  });

  it('answers a subgraph that fails without GraphQL as SERVICE_UNAVAILABLE, saying nothing of its insides', async () => {
    const answer = await post(gateway, { query: '{ broken }' }, await token());
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(Object.keys(answer.errors?.[0].extensions ?? {})).toEqual(['code']);
    expect(JSON.stringify(answer)).not.toMatch(/127\.0\.0\.1|sc-internal|html/);
  });

  it('keeps the subgraph’s BAD_USER_INPUT for a variable its scalar refuses', async () => {
    const answer = await post(
      gateway,
      { query: 'query($from: DateTime) { compliance(from: $from) { percentage } }', variables: { from: 'yesterday' } },
      await token(),
    );
    expect(answer.errors?.[0]).toMatchObject({
      message: expect.stringContaining('DateTime needs an ISO date-time with an offset'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(Object.keys(answer.errors?.[0].extensions ?? {})).toEqual(['code']);
  });

  it('suggests no field names', async () => {
    const answer = await post(gateway, { query: '{ statu }' }, await token());
    expect(answer.errors?.[0]).toMatchObject({
      message: 'Cannot query field "statu" on type "Query".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  describe('with a budget per caller', () => {
    let limited: RunningGateway;
    beforeAll(async () => {
      limited = await start({ GATEWAY_RATE_LIMIT_POINTS: '3000', GATEWAY_RATE_LIMIT_WINDOW: '3600' });
    });
    afterAll(async () => {
      await limited?.stop();
    });

    it('charges each operation its cost and answers RATE_LIMITED with retryAfter once it is spent', async () => {
      const tess = await token('p-tess');
      const costly = { query: aliases(15, 'compliance { percentage }') }; // 3,000: the whole budget
      expect((await post(limited, costly, tess)).errors).toBeUndefined();
      const calls = subgraph.calls.length;
      const refused = await post(limited, { query: '{ status }' }, tess);
      expect(refused.status).toBe(429);
      expect(refused.errors?.[0]).toMatchObject({
        extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
      });
      const retryAfter = refused.errors?.[0].extensions?.retryAfter as number;
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(refused.headers.get('retry-after')).toBe(String(retryAfter));
      expect(subgraph.calls.length).toBe(calls);
      // Another person has a budget of their own.
      expect(await post(limited, { query: '{ status }' }, await token('p-sanne'))).toMatchObject({
        data: { status: 'ok' },
      });
    });
  });
});
