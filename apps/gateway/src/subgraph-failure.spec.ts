import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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

/** A stand-in subgraph answering each request with `answer` once its body was read in full. */
async function stubSubgraph(answer: (res: ServerResponse, socket: Socket) => void) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res, req.socket));
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    connections: () => connections,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

type Answer = Parameters<typeof stubSubgraph>[0];

/** A gateway in front of one stand-in subgraph; each case settles through it or the spec times out. */
async function throughGateway(answer: Answer, run: (gateway: RunningGateway) => Promise<void>) {
  const subgraph = await stubSubgraph(answer);
  const gateway = await startGateway({
    config: { ...loadGatewayConfig({}), port: 0 },
    supergraphSdl: supergraphFor(subgraph.url),
    logger: silentLogger,
    // Short, so a spec can wait them out; production keeps undici's (headers and body 300 s).
    subgraphTimeouts: { headersMs: 300, bodyMs: 300 },
  });
  try {
    await run(gateway);
  } finally {
    await gateway.stop();
    await subgraph.stop();
  }
}

const codeOf = (body: Awaited<ReturnType<typeof post>>) => body.errors?.[0]?.extensions;

describe('gateway: every way a subgraph call breaks settles with the code the client can act on', () => {
  const MUTATION = 'mutation { createThing(title: "x") }';
  const QUERY = '{ thing(id: "1") }';
  const UNKNOWN = { code: 'OUTCOME_UNKNOWN', retryable: false, service: 'things' };
  const UNAVAILABLE = { code: 'SERVICE_UNAVAILABLE', retryable: true, service: 'things' };

  it('refused connection: nothing was sent, so SERVICE_UNAVAILABLE for a query and for a mutation', async () => {
    const closed = await stubSubgraph(() => undefined);
    await closed.stop();
    const gateway = await startGateway({
      config: { ...loadGatewayConfig({}), port: 0 },
      supergraphSdl: supergraphFor(closed.url),
      logger: silentLogger,
    });
    try {
      expect(codeOf(await post(gateway, QUERY))).toMatchObject(UNAVAILABLE);
      expect(codeOf(await post(gateway, MUTATION))).toMatchObject(UNAVAILABLE);
    } finally {
      await gateway.stop();
    }
  });

  // Headers and the start of the body, then the socket is destroyed (undici: other side closed).
  const cutShort: Answer = (res, socket) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"data":{"createThing":', () => socket.destroy());
  };

  it('answer cut short after its headers: OUTCOME_UNKNOWN for a mutation', () =>
    throughGateway(cutShort, async (gateway) => {
      expect(codeOf(await post(gateway, MUTATION))).toMatchObject(UNKNOWN);
    }));

  it('answer cut short after its headers: SERVICE_UNAVAILABLE for a query', () =>
    throughGateway(cutShort, async (gateway) => {
      expect(codeOf(await post(gateway, QUERY))).toMatchObject(UNAVAILABLE);
    }));

  // No length, no chunks: the body ends where the connection does, here in the middle of the JSON.
  const closeDelimited: Answer = (_res, socket) => {
    socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"data":{"createTh');
  };

  it('answer ended by closing the connection mid-JSON: OUTCOME_UNKNOWN for a mutation', () =>
    throughGateway(closeDelimited, async (gateway) => {
      expect(codeOf(await post(gateway, MUTATION))).toMatchObject(UNKNOWN);
    }));

  // The request is read, no answer ever comes: the headers timeout.
  const silent: Answer = () => undefined;

  it('no answer in time: OUTCOME_UNKNOWN for a mutation, SERVICE_UNAVAILABLE for a query', () =>
    throughGateway(silent, async (gateway) => {
      expect(codeOf(await post(gateway, MUTATION))).toMatchObject(UNKNOWN);
      expect(codeOf(await post(gateway, QUERY))).toMatchObject(UNAVAILABLE);
    }));

  // Headers, part of the body, then nothing: the body timeout.
  const stalls: Answer = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"data":');
  };

  it('body stalls after its headers: OUTCOME_UNKNOWN for a mutation, SERVICE_UNAVAILABLE for a query', () =>
    throughGateway(stalls, async (gateway) => {
      expect(codeOf(await post(gateway, MUTATION))).toMatchObject(UNKNOWN);
      expect(codeOf(await post(gateway, QUERY))).toMatchObject(UNAVAILABLE);
    }));

  it('reuses its connection to a subgraph from one call to the next (keep-alive)', async () => {
    const answer: Answer = (res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { thing: 'one' } }));
    };
    const subgraph = await stubSubgraph(answer);
    const gateway = await startGateway({
      config: { ...loadGatewayConfig({}), port: 0 },
      supergraphSdl: supergraphFor(subgraph.url),
      logger: silentLogger,
    });
    try {
      for (let i = 0; i < 3; i++) expect(await post(gateway, QUERY)).toEqual({ data: { thing: 'one' } });
      expect(subgraph.connections()).toBe(1);
    } finally {
      await gateway.stop();
      await subgraph.stop();
    }
  });
});
