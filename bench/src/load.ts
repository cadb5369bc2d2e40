import { Worker } from 'node:worker_threads';
import { median, round, summarise, type LatencySummary } from './stats';

/** One HTTP POST of a GraphQL operation. */
export interface Call {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * What one iteration of the load loop does: a single call (through a gateway), or the
 * client-side federation of the queue page (the root query to the owning subgraph, then the
 * `_entities` fetches of the other subgraphs in parallel, built from the first answer).
 */
export type Scenario =
  | { kind: 'single'; call: Call }
  | { kind: 'federated'; root: Call; entities: { url: string; headers: Record<string, string>; query: string }[] };

export interface LoadOptions {
  scenario: Scenario;
  concurrency: number;
  durationMs: number;
  /** Requests before the measured window (connections, JIT, caches). */
  warmupMs?: number;
  /** Called every 250 ms while the load runs (RSS sampling). */
  onTick?: () => void;
}

export interface LoadRun {
  completed: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  throughput: number;
  latencies: number[];
}

// The load loop runs in a worker thread so it does not share the event loop of the stack
// under test (which runs in the bench's main thread). Plain JS: workers do not get tsx.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { scenario, concurrency, durationMs, warmupMs } = workerData;

function hasErrors(text, status) { return status >= 400 || text.includes('"errors"'); }

async function post(url, headers, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  if (hasErrors(text, res.status)) throw new Error('HTTP ' + res.status + ': ' + text.slice(0, 300));
  return text;
}

async function once() {
  if (scenario.kind === 'single') {
    await post(scenario.call.url, scenario.call.headers, scenario.call.body);
    return;
  }
  const root = JSON.parse(await post(scenario.root.url, scenario.root.headers, scenario.root.body));
  const representations = [];
  const walk = (v) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      if (v.__typename === 'Request' && typeof v.id === 'string') representations.push({ __typename: 'Request', id: v.id });
      else for (const k of Object.keys(v)) walk(v[k]);
    }
  };
  walk(root.data);
  if (representations.length === 0) return;
  await Promise.all(
    scenario.entities.map((e) => post(e.url, e.headers, JSON.stringify({ query: e.query, variables: { representations } }))),
  );
}

async function loop(until, record) {
  while (performance.now() < until) {
    const started = performance.now();
    try {
      await once();
      if (record) record.latencies.push(performance.now() - started);
    } catch (error) {
      if (record) {
        record.errors += 1;
        if (!record.firstError) record.firstError = String(error && error.message || error);
      }
    }
  }
}

(async () => {
  if (warmupMs > 0) {
    const until = performance.now() + warmupMs;
    await Promise.all(Array.from({ length: concurrency }, () => loop(until, null)));
  }
  const record = { latencies: [], errors: 0, firstError: undefined };
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(Array.from({ length: concurrency }, () => loop(until, record)));
  const elapsedMs = performance.now() - started;
  parentPort.postMessage({ ...record, elapsedMs });
})().catch((error) => parentPort.postMessage({ fatal: String(error && error.stack || error) }));
`;

export function runLoad(options: LoadOptions): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        scenario: options.scenario,
        concurrency: options.concurrency,
        durationMs: options.durationMs,
        warmupMs: options.warmupMs ?? 0,
      },
    });
    const tick = options.onTick ? setInterval(options.onTick, 250) : undefined;
    const done = () => tick && clearInterval(tick);
    worker.once(
      'message',
      (m: { fatal?: string; latencies: number[]; errors: number; firstError?: string; elapsedMs: number }) => {
        done();
        void worker.terminate();
        if (m.fatal) return reject(new Error(m.fatal));
        resolve({
          completed: m.latencies.length,
          errors: m.errors,
          firstError: m.firstError,
          elapsedMs: m.elapsedMs,
          throughput: (m.latencies.length / m.elapsedMs) * 1000,
          latencies: m.latencies,
        });
      },
    );
    worker.once('error', (e) => {
      done();
      reject(e);
    });
  });
}

export interface RepeatedLoad {
  /** Requests per second: median over the runs, and every run's figure. */
  throughput: number;
  throughputs: number[];
  /** Per-request latency over all runs' requests. */
  latency: LatencySummary;
  errors: number;
  firstError?: string;
  runs: number;
}

/** `runs` measured runs of the same load; median throughput, latency over all requests. */
export async function repeatLoad(runs: number, options: LoadOptions): Promise<RepeatedLoad> {
  const results: LoadRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await runLoad({ ...options, warmupMs: i === 0 ? options.warmupMs : 0 }));
  const throughputs = results.map((r) => round(r.throughput, 1));
  return {
    throughput: round(median(throughputs), 1),
    throughputs,
    latency: summarise(results.flatMap((r) => r.latencies)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
    runs,
  };
}
