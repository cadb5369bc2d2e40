import { Worker } from 'node:worker_threads';
import { cpuMsOfProcessTree } from '@servicecenter/testing';
import { median, round, summarise, type LatencySummary } from './stats';

/** One HTTP POST of a GraphQL operation. */
export interface Call {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** An `_entities` fetch the load loop builds from an earlier answer's representations. */
export interface EntitiesFetch {
  url: string;
  headers: Record<string, string>;
  query: string;
}

/**
 * What one iteration of the load loop does: a single call (through a gateway); one of several
 * calls in turn (`rotate`: the same page for several ids); or the client-side federation of a
 * page: the root query to the owning subgraph (`root`, or `roots` in turn), then the `_entities`
 * fetches of the other subgraphs in parallel, built from the Requests of the first answer, then
 * optionally (`references`) one `_entities` fetch of the objects of `typename` those answers
 * refer to (the people of the detail page's escalations).
 */
export type Scenario =
  | { kind: 'single'; call: Call }
  | { kind: 'rotate'; calls: Call[] }
  | {
      kind: 'federated';
      root?: Call;
      roots?: Call[];
      entities: EntitiesFetch[];
      references?: EntitiesFetch & { typename: string };
    };

export interface LoadOptions {
  scenario: Scenario;
  concurrency: number;
  durationMs: number;
  /** Requests before the measured window (connections, JIT, caches). */
  warmupMs?: number;
  /** Called every 250 ms while the load runs (RSS sampling). */
  onTick?: () => void;
  /**
   * Other processes serving the load (a gateway in its own process), by name: their CPU time
   * over the measured window is reported beside this process's (`LoadRun.cpu`).
   */
  cpuOfPids?: Record<string, number>;
}

/**
 * CPU milliseconds spent during a run's measured window: by this process (the stack), without
 * the load generator's own thread, and by each process of `cpuOfPids` (with its children).
 */
export interface LoadCpu {
  selfMs: number;
  pidsMs: Record<string, number>;
}

export interface LoadRun {
  completed: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  throughput: number;
  latencies: number[];
  cpu: LoadCpu;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on every Linux we run). */
const CLOCK_TICKS_PER_SECOND = 100;

/** This process's CPU time, ms (every thread). */
const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// The load loop runs in a worker thread so it does not share the event loop of the stack
// under test (which runs in the bench's main thread). Plain JS: workers do not get tsx.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { scenario, concurrency, durationMs, warmupMs } = workerData;

// This thread's own CPU (utime + stime, clock ticks): the parent leaves it out of the stack's.
function threadTicks() {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function hasErrors(text, status) { return status >= 400 || text.includes('"errors"'); }

async function post(url, headers, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  if (hasErrors(text, res.status)) throw new Error('HTTP ' + res.status + ': ' + text.slice(0, 300));
  return text;
}

// Each iteration takes the next call of a rotating scenario (shared by the loop's clients).
let turn = 0;
const next = (list) => list[turn++ % list.length];

// The distinct { __typename, id } objects of the type typename in an answer (not looking inside them).
function representationsOf(data, typename) {
  const seen = new Set();
  const out = [];
  const walk = (v) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      if (v.__typename === typename && typeof v.id === 'string') {
        if (!seen.has(v.id)) out.push({ __typename: typename, id: v.id });
        seen.add(v.id);
      } else for (const k of Object.keys(v)) walk(v[k]);
    }
  };
  walk(data);
  return out;
}

async function once() {
  if (scenario.kind === 'single') {
    await post(scenario.call.url, scenario.call.headers, scenario.call.body);
    return;
  }
  if (scenario.kind === 'rotate') {
    const call = next(scenario.calls);
    await post(call.url, call.headers, call.body);
    return;
  }
  const rootCall = scenario.roots ? next(scenario.roots) : scenario.root;
  const root = JSON.parse(await post(rootCall.url, rootCall.headers, rootCall.body));
  const representations = representationsOf(root.data, 'Request');
  if (representations.length === 0) return;
  const answers = await Promise.all(
    scenario.entities.map((e) => post(e.url, e.headers, JSON.stringify({ query: e.query, variables: { representations } }))),
  );
  const ref = scenario.references;
  if (!ref) return;
  const referenced = representationsOf(answers.map((a) => JSON.parse(a).data), ref.typename);
  if (referenced.length === 0) return;
  await post(ref.url, ref.headers, JSON.stringify({ query: ref.query, variables: { representations: referenced } }));
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
  const startTicks = threadTicks();
  parentPort.postMessage({ windowStarted: true });
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(Array.from({ length: concurrency }, () => loop(until, record)));
  const elapsedMs = performance.now() - started;
  parentPort.postMessage({ ...record, elapsedMs, threadTicks: threadTicks() - startTicks });
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
    const pids = Object.entries(options.cpuOfPids ?? {});
    let atStart: { self: number; pids: number[] } | undefined;
    worker.on(
      'message',
      (m: {
        windowStarted?: boolean;
        fatal?: string;
        latencies: number[];
        errors: number;
        firstError?: string;
        elapsedMs: number;
        threadTicks: number;
      }) => {
        if (m.windowStarted) {
          atStart = { self: processCpuMs(), pids: pids.map(([, pid]) => cpuMsOfProcessTree(pid)) };
          return;
        }
        const selfNow = processCpuMs();
        const pidsNow = pids.map(([, pid]) => cpuMsOfProcessTree(pid));
        done();
        void worker.terminate();
        if (m.fatal) return reject(new Error(m.fatal));
        const workerMs = (m.threadTicks * 1000) / CLOCK_TICKS_PER_SECOND;
        resolve({
          completed: m.latencies.length,
          errors: m.errors,
          firstError: m.firstError,
          elapsedMs: m.elapsedMs,
          throughput: (m.latencies.length / m.elapsedMs) * 1000,
          latencies: m.latencies,
          cpu: {
            selfMs: atStart ? Math.max(0, selfNow - atStart.self - workerMs) : Number.NaN,
            pidsMs: Object.fromEntries(pids.map(([name], i) => [name, pidsNow[i] - (atStart?.pids[i] ?? Number.NaN)])),
          },
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
  /** Pages (completed requests) of all measured windows and the CPU spent in them (LoadCpu, summed). */
  cpu: { requests: number } & LoadCpu;
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
    cpu: {
      requests: results.reduce((n, r) => n + r.completed, 0),
      selfMs: round(
        results.reduce((n, r) => n + r.cpu.selfMs, 0),
        1,
      ),
      pidsMs: Object.fromEntries(
        Object.keys(options.cpuOfPids ?? {}).map((name) => [
          name,
          round(
            results.reduce((n, r) => n + (r.cpu.pidsMs[name] ?? Number.NaN), 0),
            1,
          ),
        ]),
      ),
    },
  };
}
