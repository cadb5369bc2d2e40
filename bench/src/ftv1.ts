import { startBenchStack, type BenchDatabases } from './bench-stack';
import { queueStraightFromSubgraphs } from './graph';
import { repeatLoad } from './load';
import type { BenchOptions } from './options';
import type { Ftv1Result } from './report';
import { round } from './stats';
import type { Log } from './throughput';

/**
 * Inline tracing (ftv1) measured rather than assumed: the stack restarted on the same data
 * with SUBGRAPH_INLINE_TRACING=on, the queue page fetched straight from the subgraphs without
 * and with `apollo-federation-include-trace: ftv1` (what a gateway reporting to Apollo Studio sends).
 */
export async function measureFtv1(databases: BenchDatabases, options: BenchOptions, log: Log): Promise<Ftv1Result> {
  const bs = await startBenchStack(databases, { SUBGRAPH_INLINE_TRACING: 'on' });
  try {
    const common = { concurrency: options.concurrency, durationMs: options.seconds * 1000, warmupMs: 1000 };
    const runs = Math.max(1, Math.ceil(options.runs / 2));
    const without = await repeatLoad(runs, {
      ...common,
      scenario: queueStraightFromSubgraphs(bs.subgraphUrls, options.pageSize),
    });
    const traced = await repeatLoad(runs, {
      ...common,
      scenario: queueStraightFromSubgraphs(bs.subgraphUrls, options.pageSize, {
        'apollo-federation-include-trace': 'ftv1',
      }),
    });
    if (without.errors || traced.errors)
      throw new Error(`errors during the ftv1 comparison: ${without.firstError ?? traced.firstError}`);
    const cost = round(traced.latency.median / without.latency.median, 2);
    log(
      `ftv1: without ${without.latency.median} ms / ${without.throughput} pages/s, with ${traced.latency.median} ms / ${traced.throughput} pages/s (${cost}x latency)`,
    );
    return {
      withoutMs: { median: without.latency.median, p99: without.latency.p99, throughput: without.throughput },
      withMs: { median: traced.latency.median, p99: traced.latency.p99, throughput: traced.throughput },
      choice: `${cost}x latency when traced; kept off (SUBGRAPH_INLINE_TRACING=off): nothing here reads the traces`,
    };
  } finally {
    await bs.stack.stop();
  }
}
