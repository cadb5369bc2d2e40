import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { silentLogger } from '@servicecenter/platform-logging';
import { loadGatewayConfig } from './config';
import { startGateway, type RunningGateway } from './gateway';

/**
 * A stand-in subgraph that reads each request in full and then destroys the connection
 * without answering: the mutation reached the subgraph, its answer never came back.
 */
function resettingSubgraph(): Promise<{ server: Server; url: string; received: string[] }> {
  const received: string[] = [];
  const server = createServer((req, _res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(body);
      req.socket.destroy();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, received }),
    ),
  );
}

function supergraphFor(url: string): string {
  const typeDefs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { thing(id: ID!): String }
    type Mutation { createThing(title: String!): String }
  `);
  const result = composeServices([{ name: 'things', url, typeDefs }]);
  if (!result.supergraphSdl) throw new Error(result.errors?.map((e) => e.message).join('; '));
  return result.supergraphSdl;
}

async function post(gateway: RunningGateway, query: string) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

describe('gateway: a subgraph connection that breaks', () => {
  let subgraph: Awaited<ReturnType<typeof resettingSubgraph>>;
  let gateway: RunningGateway;

  beforeAll(async () => {
    subgraph = await resettingSubgraph();
    gateway = await startGateway({
      config: { ...loadGatewayConfig({}), port: 0 },
      supergraphSdl: supergraphFor(subgraph.url),
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await new Promise((resolve) => subgraph?.server.close(resolve));
  });

  it('after a mutation was sent answers OUTCOME_UNKNOWN, never "nothing was changed"', async () => {
    const body = await post(gateway, 'mutation { createThing(title: "x") }');
    expect(subgraph.received.some((r) => r.includes('createThing'))).toBe(true);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', retryable: false });
    expect(body.errors?.[0].message).toMatch(/may or may not have been made/);
    expect(body.errors?.[0].message).not.toMatch(/nothing was changed/);
  });

  it('forwards the Idempotency-Key header to the subgraph', async () => {
    const seen: string[] = [];
    const echo = createServer((req, res) => {
      seen.push(String(req.headers['idempotency-key']));
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { createThing: 'made' } }));
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/graphql`;
    const forwarding = await startGateway({
      config: { ...loadGatewayConfig({}), port: 0 },
      supergraphSdl: supergraphFor(url),
      logger: silentLogger,
    });
    try {
      expect(await post(forwarding, 'mutation { createThing(title: "x") }')).toEqual({ data: { createThing: 'made' } });
      expect(seen).toEqual(['k-1']);
    } finally {
      await forwarding.stop();
      await new Promise((resolve) => echo.close(resolve));
    }
  });

  it('for a query answers SERVICE_UNAVAILABLE, retryable: a read changes nothing', async () => {
    const body = await post(gateway, '{ thing(id: "1") }');
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
  });

  it('when the subgraph refused the connection (nothing sent) answers SERVICE_UNAVAILABLE, retryable', async () => {
    const closed = await resettingSubgraph();
    await new Promise((resolve) => closed.server.close(resolve));
    const unreachable = await startGateway({
      config: { ...loadGatewayConfig({}), port: 0 },
      supergraphSdl: supergraphFor(closed.url),
      logger: silentLogger,
    });
    try {
      const body = await post(unreachable, 'mutation { createThing(title: "x") }');
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    } finally {
      await unreachable.stop();
    }
  });
});
