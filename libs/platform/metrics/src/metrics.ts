import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every series of ours starts with this (the process and Node.js runtime series too). */
export const METRIC_PREFIX = 'servicecenter_';

/** Request latencies: 5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/**
 * The process and Node.js runtime series (CPU, memory, event-loop lag, GC, handles), kept
 * once per process in a registry of their own. `npm start` runs every service in one process:
 * each service's /metrics then shows its own series plus these same process series, so they
 * are collected once and read per target (docs/operations.md).
 */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: METRIC_PREFIX });
  }
  return processRegistry;
}

/**
 * One service's metrics: its own prom-client registry (never the global default one), with a
 * constant `service` label, so services sharing a process never mix their series. Names are
 * given without the prefix and follow Prometheus conventions (checked here): counters end in
 * `_total`, durations are `_seconds`.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    if (!name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`);
    return (
      this.existing(name, Counter) ??
      new Counter({ name: METRIC_PREFIX + name, help, labelNames, registers: [this.registry] })
    );
  }

  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    collect?: (this: Gauge<L>) => void | Promise<void>,
  ): Gauge<L> {
    if (name.endsWith('_total')) throw new Error(`gauge ${name} must not end in _total`);
    return (
      this.existing(name, Gauge) ??
      new Gauge({ name: METRIC_PREFIX + name, help, labelNames, registers: [this.registry], collect })
    );
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[] = LATENCY_BUCKETS,
  ): Histogram<L> {
    if (!name.endsWith('_seconds')) throw new Error(`histogram ${name} must measure _seconds`);
    return (
      this.existing(name, Histogram) ??
      new Histogram({ name: METRIC_PREFIX + name, help, labelNames, buckets, registers: [this.registry] })
    );
  }

  /**
   * A metric asked for twice (a second scanner or app on the same service, as tests make)
   * is the same metric; the first definition wins.
   */
  private existing<T>(name: string, type: abstract new (...args: never[]) => T): T | undefined {
    const found = this.registry.getSingleMetric(METRIC_PREFIX + name);
    if (found === undefined) return undefined;
    if (!(found instanceof type)) throw new Error(`metric ${name} is already defined with another type`);
    return found as T;
  }

  /** The service's series followed by the process series, in the text exposition format. */
  async render(): Promise<string> {
    const [own, processSeries] = await Promise.all([this.registry.metrics(), processMetricsRegistry().metrics()]);
    return `${own}\n${processSeries}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/**
 * Shares one load between the gauges a scrape collects at once (they are collected in
 * parallel) and between scrapes closer than `maxAgeMs`; a failure is not kept.
 */
export function sharedLoad<T>(load: () => Promise<T>, maxAgeMs: number): () => Promise<T> {
  let at = 0;
  let current: Promise<T> | undefined;
  return () => {
    const now = Date.now();
    if (!current || now - at >= maxAgeMs) {
      at = now;
      const loading = load();
      current = loading;
      loading.catch(() => {
        if (current === loading) current = undefined;
      });
    }
    return current;
  };
}

/** Rejects after `ms` (the work itself is not cancelled: the caller bounds it too). */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
