import gql from 'graphql-tag';
import { silentLogger } from '@servicecenter/platform-logging';
import { startSubgraphServer, type RunningSubgraph } from './subgraph-server';

const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    hello: String!
  }
`;

async function ask(server: RunningSubgraph): Promise<{ data?: unknown; extensions?: Record<string, unknown> }> {
  const response = await fetch(server.url, {
    method: 'POST',
    // What a gateway that reports to Apollo Studio sends.
    headers: { 'content-type': 'application/json', 'apollo-federation-include-trace': 'ftv1' },
    body: JSON.stringify({ query: '{ hello }' }),
  });
  return (await response.json()) as { data?: unknown; extensions?: Record<string, unknown> };
}

describe('subgraph server inline tracing (ftv1)', () => {
  const start = (inlineTracing: boolean | undefined) =>
    startSubgraphServer({
      name: 'test',
      typeDefs,
      resolvers: { Query: { hello: () => 'hi' } },
      port: 0,
      host: '127.0.0.1',
      inlineTracing,
      production: false,
      logger: silentLogger,
      readiness: { database: async () => true, events: async () => true },
      createContext: (base) => base,
    });

  it('does not trace by default, even when the gateway asks', async () => {
    const server = await start(undefined);
    try {
      const body = await ask(server);
      expect(body.data).toEqual({ hello: 'hi' });
      expect(body.extensions?.ftv1).toBeUndefined();
    } finally {
      await server.stop();
    }
  });

  it('answers with a trace when switched on and asked', async () => {
    const server = await start(true);
    try {
      const body = await ask(server);
      expect(body.data).toEqual({ hello: 'hi' });
      expect(typeof body.extensions?.ftv1).toBe('string');
    } finally {
      await server.stop();
    }
  });
});
