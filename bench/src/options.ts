import { parseArgs } from 'node:util';

export interface BenchOptions {
  quick: boolean;
  keep: boolean;
  databaseUrl: string;
  kafkaBrokers?: string;
  /** Measured runs per throughput figure, and seconds per run. */
  runs: number;
  seconds: number;
  concurrency: number;
  /** Concurrent clients of the intake's peak figure (registrations at once, next to `concurrency`). */
  intakePeak: number;
  /** Only these sections (`--only intake,queue`); undefined: every section. */
  only?: BenchSection[];
  /** Requests registered through the gateway before the queue is measured. */
  requests: number;
  /** Queue page size. */
  pageSize: number;
  /** Requests the detail page rotates over, and the rounds of questions and replies each one gets. */
  detailRequests: number;
  detailRounds: number;
  eventSamples: number;
  /** Running SLA clocks generated for the due-time scan. */
  clocks: number;
  /** Requests of the reports' read models. */
  reportRequests: number;
  startup: boolean;
  hive: boolean;
  ftv1: boolean;
  /** Measure the intake and queue page with OpenTelemetry tracing off and on (bench/src/tracing.ts). */
  tracing: boolean;
  resultsDir: string;
}

/** The parts of a run `--only` can pick. */
export const BENCH_SECTIONS = [
  'intake',
  'queue',
  'detail',
  'tracing',
  'events',
  'sla',
  'reports',
  'ftv1',
  'startup',
] as const;
export type BenchSection = (typeof BENCH_SECTIONS)[number];

const QUICK = {
  runs: 1,
  seconds: 2,
  concurrency: 4,
  intakePeak: 50,
  requests: 200,
  pageSize: 25,
  detailRequests: 3,
  detailRounds: 3,
  eventSamples: 5,
  clocks: 2_000,
  reportRequests: 2_000,
};
const DEFAULT = {
  runs: 5,
  seconds: 6,
  concurrency: 8,
  intakePeak: 50,
  requests: 3_000,
  pageSize: 50,
  detailRequests: 8,
  detailRounds: 8,
  eventSamples: 200,
  clocks: 1_000_000,
  reportRequests: 1_000_000,
};

const USAGE = `npm run bench [-- options]
  --quick               tiny sizes, one short run per figure (CI smoke test)
  --keep                keep the bench databases (default: dropped at the end)
  --runs N --seconds S  measured runs per figure and their length (default 5 x 6 s)
  --concurrency C       concurrent clients (default 8)
  --intake-peak C       concurrent clients of the intake's peak figure (default 50)
  --only a,b            only these sections: ${BENCH_SECTIONS.join(', ')} (e.g. --only intake)
  --requests N          requests registered through the gateway (default 3000)
  --page-size N         queue page size (default 50)
  --detail-requests N   requests the detail page rotates over (default 8)
  --detail-rounds N     rounds of question, answer, replies and re-prioritisation per detail request (default 8)
  --event-samples N     registrations timed to their SLA clock (default 200)
  --clocks N            running SLA clocks for the due-time scan (default 1000000)
  --report-requests N   requests in the reporting read models for the reports (default 1000000)
  --no-hive             skip the peer gateway (Hive Gateway)
  --no-startup          skip the npm start timing
  --no-ftv1             skip the inline-tracing comparison
  --no-tracing          skip the OpenTelemetry tracing on/off comparison
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), KAFKA_BROKERS (optional).`;

function sections(raw: string): BenchSection[] {
  const list = raw.split(',').map((s) => s.trim());
  const unknown = list.filter((s) => !(BENCH_SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0 || list.length === 0)
    throw new Error(`--only takes a comma-separated list of ${BENCH_SECTIONS.join(', ')}; got ${raw}`);
  return list as BenchSection[];
}

/** Whether a run measures this section. */
export const measures = (options: Pick<BenchOptions, 'only'>, section: BenchSection) =>
  options.only === undefined || options.only.includes(section);

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      runs: { type: 'string' },
      seconds: { type: 'string' },
      concurrency: { type: 'string' },
      'intake-peak': { type: 'string' },
      only: { type: 'string' },
      requests: { type: 'string' },
      'page-size': { type: 'string' },
      'detail-requests': { type: 'string' },
      'detail-rounds': { type: 'string' },
      'event-samples': { type: 'string' },
      clocks: { type: 'string' },
      'report-requests': { type: 'string' },
      'no-hive': { type: 'boolean', default: false },
      'no-startup': { type: 'boolean', default: false },
      'no-ftv1': { type: 'boolean', default: false },
      'no-tracing': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const base = values.quick ? QUICK : DEFAULT;
  const int = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} takes a positive whole number, got ${raw}`);
    return n;
  };
  return {
    quick: values.quick,
    keep: values.keep,
    databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    kafkaBrokers: process.env.KAFKA_BROKERS || undefined,
    runs: int('runs', values.runs, base.runs),
    seconds: int('seconds', values.seconds, base.seconds),
    concurrency: int('concurrency', values.concurrency, base.concurrency),
    intakePeak: int('intake-peak', values['intake-peak'], base.intakePeak),
    only: values.only === undefined ? undefined : sections(values.only),
    requests: int('requests', values.requests, base.requests),
    pageSize: int('page-size', values['page-size'], base.pageSize),
    detailRequests: int('detail-requests', values['detail-requests'], base.detailRequests),
    detailRounds: int('detail-rounds', values['detail-rounds'], base.detailRounds),
    eventSamples: int('event-samples', values['event-samples'], base.eventSamples),
    clocks: int('clocks', values.clocks, base.clocks),
    reportRequests: int('report-requests', values['report-requests'], base.reportRequests),
    startup: !values['no-startup'],
    hive: !values['no-hive'],
    ftv1: !values['no-ftv1'],
    tracing: !values['no-tracing'],
    resultsDir: 'bench/results',
  };
}
