import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** How long the gateway waits for a subgraph (undici's own defaults unless set). */
export interface SubgraphTimeouts {
  /** Opening the connection (undici: 10 s): past it nothing was sent. */
  connectMs?: number;
  /** From the request sent to the answer's headers (undici: 300 s). */
  headersMs?: number;
  /** Between two chunks of the answer's body (undici: 300 s). */
  bodyMs?: number;
}

export interface SubgraphFetcher {
  fetcher: Fetcher;
  /** Closes the kept-alive connections (once the gateway stopped: nothing is waited for). */
  close(): Promise<void>;
}

/**
 * The gateway's fetch to its subgraphs: undici's `request` on one keep-alive Agent for all of
 * them (connections reused while the subgraph's Keep-Alive hint allows, no cap on their number,
 * as Apollo's default had). Instead of Apollo's default make-fetch-happen: no HTTP cache layer,
 * no retry wrapper, no per-request stack capture to pick http or https; and instead of undici's
 * own fetch, no WHATWG streams and Headers (that one measured no cheaper than make-fetch-happen;
 * docs/performance.md). Every way the exchange can break rejects (the socket error, undici's
 * `other side closed` for an answer cut short, its headers and body timeouts):
 * subgraph-failure.ts maps them. Traced by @opentelemetry/instrumentation-undici
 * (libs/platform/telemetry) when tracing is on.
 */
export function createSubgraphFetcher(timeouts: SubgraphTimeouts = {}): SubgraphFetcher {
  const agent = new Agent({
    connections: null,
    ...(timeouts.connectMs === undefined ? {} : { connect: { timeout: timeouts.connectMs } }),
    ...(timeouts.headersMs === undefined ? {} : { headersTimeout: timeouts.headersMs }),
    ...(timeouts.bodyMs === undefined ? {} : { bodyTimeout: timeouts.bodyMs }),
  });
  return {
    // undici's request (no WHATWG streams, Headers or Request objects: cheaper than its fetch)
    // behind the little of a fetch Response that Apollo's data source reads: status, ok,
    // headers.get, json() and text().
    fetcher: async (url, init) => {
      const { statusCode, headers, body } = await request(url, {
        method: (init?.method ?? 'GET') as 'POST',
        headers: init?.headers,
        body: init?.body,
        dispatcher: agent,
      });
      const header = (name: string) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      };
      return {
        url,
        status: statusCode,
        statusText: STATUS_CODES[statusCode] ?? '',
        ok: statusCode >= 200 && statusCode < 300,
        redirected: false,
        get bodyUsed() {
          return body.bodyUsed;
        },
        headers: { get: header, has: (name: string) => header(name) !== null },
        json: () => body.json(),
        text: () => body.text(),
        arrayBuffer: () => body.arrayBuffer(),
      } as unknown as Awaited<ReturnType<Fetcher>>;
    },
    close: () => agent.destroy(),
  };
}
