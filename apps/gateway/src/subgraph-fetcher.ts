import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { Agent, fetch } from 'undici';

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
 * The gateway's fetch to its subgraphs: undici's fetch on one keep-alive Agent for all of them
 * (connections reused while the subgraph's Keep-Alive hint allows, no cap on their number, as
 * Apollo's default had). Instead of Apollo's default make-fetch-happen: no HTTP cache layer,
 * no retry wrapper, no per-request stack capture to pick http or https (docs/performance.md).
 * Every way the exchange can break rejects (`fetch failed` with the socket error as its cause,
 * `terminated` for an answer cut short, a timeout's error): subgraph-failure.ts maps them.
 * Traced by @opentelemetry/instrumentation-undici (libs/platform/telemetry) when tracing is on.
 */
export function createSubgraphFetcher(timeouts: SubgraphTimeouts = {}): SubgraphFetcher {
  const agent = new Agent({
    connections: null,
    ...(timeouts.connectMs === undefined ? {} : { connect: { timeout: timeouts.connectMs } }),
    ...(timeouts.headersMs === undefined ? {} : { headersTimeout: timeouts.headersMs }),
    ...(timeouts.bodyMs === undefined ? {} : { bodyTimeout: timeouts.bodyMs }),
  });
  return {
    // Apollo's Fetcher is a structural subset of fetch: plain string headers and body in, a
    // Response with json()/text()/headers.get() out.
    fetcher: (url, init) => fetch(url, { ...init, dispatcher: agent }) as unknown as ReturnType<Fetcher>,
    close: () => agent.destroy(),
  };
}
