import { spawn } from 'node:child_process';
import type { BenchOptions } from './options';
import { startOtlpReceiver } from './otlp-receiver';
import { ROOT } from './processes';
import { round } from './stats';
import type { RepeatedLoad } from './load';
import type { Log } from './throughput';

/** The figures of one side (tracing off or on), from bench/src/tracing-run.ts. */
export interface TracingSide {
  intake: RepeatedLoad;
  queue: RepeatedLoad;
  /** CPU ms of the stack process per registration / per page (without the load generator's thread). */
  intakeCpuMsPerRequest: number;
  queueCpuMsPerPage: number;
}

/** How tracing-run.ts marks its result line on stdout. */
export const RESULT_PREFIX = 'BENCH_TRACING_RESULT ';

export interface TracingOverhead {
  off: TracingSide;
  on: TracingSide;
  /** Spans the local OTLP receiver got from the tracing-on run (every span: the export queue is sized for the load). */
  spansReceived: number;
  /** on / off: below 1 for throughput means slower with tracing, above 1 for latency and CPU means more. */
  ratios: {
    queueThroughput: number;
    queueLatencyMedian: number;
    queueCpuPerPage: number;
    intakeThroughput: number;
    intakeLatencyMedian: number;
    intakeCpuPerRequest: number;
  };
}

/** `tsx bench/src/tracing-run.ts` with this environment; its JSON result line. */
function runSide(options: BenchOptions, env: Record<string, string>, label: string, log: Log): Promise<TracingSide> {
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    // The off side must not trace because of the caller's own environment.
    for (const name of Object.keys(base)) if (name.startsWith('OTEL_')) delete base[name];
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/src/tracing-run.ts'], {
      cwd: ROOT,
      env: { ...base, BENCH_TRACING_OPTIONS: JSON.stringify(options), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) return reject(new Error(`tracing ${label}: exited ${code}:\n${stderr}`));
      const side = JSON.parse(line.slice(RESULT_PREFIX.length)) as TracingSide;
      log(
        `  tracing ${label}: queue ${side.queue.throughput} pages/s (median ${side.queue.latency.median} ms, ${side.queueCpuMsPerPage} CPU ms/page), intake ${side.intake.throughput} /s (median ${side.intake.latency.median} ms, ${side.intakeCpuMsPerRequest} CPU ms/registration)`,
      );
      resolve(side);
    });
  });
}

/**
 * The cost of tracing: the intake and the queue page through the gateway in a fresh stack
 * process with tracing off, then in another with tracing on, exporting every span over
 * OTLP/HTTP to a receiver on this machine. Each side runs in its own process because the
 * instrumentations patch modules at load; the main sections (tracing off) are not touched.
 */
export async function measureTracingOverhead(options: BenchOptions, log: Log): Promise<TracingOverhead> {
  log(
    `tracing: intake and queue page through the gateway, ${options.runs} x ${options.seconds} s each, tracing off then on (OTLP/HTTP to a local receiver)`,
  );
  const off = await runSide(options, {}, 'off', log);
  const receiver = await startOtlpReceiver();
  try {
    const on = await runSide(
      options,
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
        // Every span is exported, none dropped at a full queue: the whole cost is measured.
        OTEL_BSP_MAX_QUEUE_SIZE: '200000',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
        OTEL_BSP_SCHEDULE_DELAY: '1000',
      },
      'on',
      log,
    );
    const spansReceived = receiver.spans();
    if (spansReceived === 0) throw new Error('tracing on: the OTLP receiver got no spans');
    log(`  the receiver got ${spansReceived} spans in ${receiver.exports().received} exports`);
    const ratio = (a: number, b: number) => round(a / b, 2);
    return {
      off,
      on,
      spansReceived,
      ratios: {
        queueThroughput: ratio(on.queue.throughput, off.queue.throughput),
        queueLatencyMedian: ratio(on.queue.latency.median, off.queue.latency.median),
        queueCpuPerPage: ratio(on.queueCpuMsPerPage, off.queueCpuMsPerPage),
        intakeThroughput: ratio(on.intake.throughput, off.intake.throughput),
        intakeLatencyMedian: ratio(on.intake.latency.median, off.intake.latency.median),
        intakeCpuPerRequest: ratio(on.intakeCpuMsPerRequest, off.intakeCpuMsPerRequest),
      },
    };
  } finally {
    await receiver.stop();
  }
}
