import type { DetailResult } from './detail';
import type { EventLatency } from './events';
import type { Machine } from './machine';
import type { BenchOptions } from './options';
import type { ReportsResult } from './reports';
import type { SlaScanResult } from './sla-scan';
import type { StartupResult } from './startup';
import type { IntakeResult, QueueResult } from './throughput';
import type { TracingOverhead } from './tracing';

export interface Ftv1Result {
  withoutMs: { median: number; p99: number; throughput: number };
  withMs: { median: number; p99: number; throughput: number };
  choice: string;
}

export interface BenchResult {
  startedAt: string;
  wallSeconds: number;
  mode: 'quick' | 'default';
  machine: Machine;
  options: Omit<BenchOptions, 'databaseUrl' | 'resultsDir'>;
  stackStartSeconds: number;
  queue?: QueueResult;
  detail?: DetailResult;
  intake?: IntakeResult;
  events: EventLatency[];
  eventsNote?: string;
  slaScan?: SlaScanResult;
  reports?: ReportsResult;
  memory: { restMb?: number; restAfterLoadMb?: number; underLoadMb?: { median: number; max: number } };
  startup?: StartupResult;
  startupError?: string;
  ftv1?: Ftv1Result;
  tracing?: TracingOverhead;
  errors: string[];
}

const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? 'n/a' : `${n} ms`);

/** The markdown table printed at the end and pasted into docs/performance.md. */
export function markdown(r: BenchResult): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push(`### Bench ${r.startedAt} (${r.mode}, ${r.wallSeconds} s)`);
  lines.push('');
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGb} GB RAM, ${m.os}, Node ${m.node}, ${m.postgres}, events ${m.events}; load average at start ${m.loadAverage}.`,
  );
  lines.push(
    `Runs: ${r.options.runs} x ${r.options.seconds} s per throughput figure, ${r.options.concurrency} concurrent clients; latencies are median / p99 over every request of the runs, throughput the median of the runs.`,
  );
  lines.push('');
  lines.push('| Figure | Median | p99 | Throughput | Notes |');
  lines.push('| --- | --- | --- | --- | --- |');
  const q = r.queue;
  if (q) {
    for (const t of q.targets) {
      lines.push(
        `| Queue page (${q.rows} requests + sla + escalations): ${t.description} | ${ms(t.load.latency.median)} | ${ms(t.load.latency.p99)} | ${t.load.throughput} pages/s | ${t.load.errors} errors${t.rssMb ? `; RSS ${t.rssMb} MB` : ''}${t.cpuMsPerPage !== undefined ? `; CPU ${t.cpuMsPerPage} ms/page` : ''}${t.gatewayCpuMsPerPage !== undefined ? ` (gateway ${t.gatewayCpuMsPerPage})` : ''} |`,
      );
    }
    lines.push(
      `| Gateway overhead (Apollo in stack / straight from subgraphs, median latency) | ${q.gatewayOverheadRatio}x | | | |`,
    );
    lines.push(
      `| Hive Gateway / Apollo gateway (own processes, throughput) | ${q.hiveVsApolloThroughput !== undefined ? `${q.hiveVsApolloThroughput}x` : 'n/a'} | | | ${q.hiveError ? `not measured: ${q.hiveError.split('\n')[0].slice(0, 160)}` : ''} |`,
    );
  }
  const d = r.detail;
  if (d) {
    const shape = `${d.requests.history} history entries, ${d.requests.replies} replies, ${d.requests.timeline} SLA timeline entries, ${d.requests.escalationSteps} escalation steps`;
    for (const t of d.targets) {
      lines.push(
        `| Request detail page (${shape}; ${d.requests.ids.length} requests in turn): ${t.description} | ${ms(t.load.latency.median)} | ${ms(t.load.latency.p99)} | ${t.load.throughput} pages/s | ${t.load.errors} errors${t.cpuMsPerPage !== undefined ? `; CPU ${t.cpuMsPerPage} ms/page` : ''}${t.gatewayCpuMsPerPage !== undefined ? ` (gateway ${t.gatewayCpuMsPerPage})` : ''} |`,
      );
    }
    lines.push(
      `| Gateway overhead on the detail page (Apollo in stack / straight from subgraphs, median latency) | ${d.gatewayOverheadRatio}x | | | |`,
    );
  }
  const i = r.intake;
  if (i) {
    lines.push(
      `| Intake: registerRequest through the gateway (outbox + events), ${r.options.concurrency} clients | ${ms(i.gateway.latency.median)} | ${ms(i.gateway.latency.p99)} | ${i.gateway.throughput} /s | ${i.gateway.errors} errors |`,
    );
    if (i.peak)
      lines.push(
        `| Intake peak: registerRequest through the gateway, ${i.peak.concurrency} clients | ${ms(i.peak.latency.median)} | ${ms(i.peak.latency.p99)} | ${i.peak.throughput} /s | ${i.peak.errors} errors${i.peak.firstError ? ` (first: ${i.peak.firstError.slice(0, 120)})` : ''} |`,
      );
    lines.push(
      `| Intake limit: raw single-row INSERT, same PostgreSQL | ${ms(i.rawInsert.latency.median)} | ${ms(i.rawInsert.latency.p99)} | ${i.rawInsert.throughput} /s | ratio to the limit ${i.ratioToLimit} |`,
    );
  }
  for (const e of r.events) {
    lines.push(
      `| Event latency, registration to SLA clock queryable (${e.transport}) | ${ms(e.latency.median)} | ${ms(e.latency.p99)} | | ${e.latency.samples} samples, polled every ${e.pollMs} ms; the poll that saw it took ${ms(e.poll.median)} (p99 ${ms(e.poll.p99)}), ${e.polls.median} polls (p99 ${e.polls.p99}), the first poll too early for ${e.firstPollMissed} |`,
    );
  }
  if (r.eventsNote) lines.push(`| Event latency over Kafka | n/a | | | ${r.eventsNote} |`);
  const s = r.slaScan;
  if (s) {
    lines.push(
      `| SLA due query at ${s.runningClocks.toLocaleString('en')} running clocks (LIMIT ${s.clocksPerScan}) | ${ms(s.dueQuery.median)} | ${ms(s.dueQuery.p99)} | | ${s.indexUsed ? 'index sla_clock_next_check' : 'NO INDEX: ' + s.plan[0]} |`,
    );
    lines.push(
      `| SLA scanOnce over ${s.clocksPerScan} due clocks (claim, evaluate, record, publish: one set) | ${ms(s.scanOnce.median)} | ${ms(s.scanOnce.p99)} | | ${s.eventsPerScan} events per scan; scans back to back, each while the relay and consumers apply the previous one's events; process CPU ${s.cpuMsPerScan} ms per scan (relay and consumers included); after ${s.warmUpScans.length} warm-up scans; data generated in ${s.generateSeconds} s |`,
    );
    if (s.scanOnceSettled)
      lines.push(
        `| SLA scanOnce over ${s.clocksPerScan} due clocks, each once the previous scan's events were handled (the scanner's cadence) | ${ms(s.scanOnceSettled.median)} | ${ms(s.scanOnceSettled.p99)} | | process CPU during the scan ${s.cpuMsPerSettledScan} ms; the wait for the consumers is not timed |`,
      );
  }
  if (r.reports) {
    if (r.reports.notMeasured)
      lines.push(
        `| Reports at ${r.options.reportRequests.toLocaleString('en')} requests | n/a | | | ${r.reports.notMeasured} |`,
      );
    for (const rep of r.reports.measured) {
      lines.push(
        `| Report at ${(r.reports.requests ?? 0).toLocaleString('en')} requests: ${rep.name} | ${ms(rep.latency.median)} | ${ms(rep.latency.p99)} | | ${rep.latency.samples} runs ${rep.via ?? 'through the gateway'}; read models generated in ${r.reports.generateSeconds} s |`,
      );
    }
  }
  lines.push(
    `| RSS of the stack process at rest (desk only, after GC) | ${r.memory.restMb ?? 'n/a'} MB | | | bench process hosting the whole stack |`,
  );
  if (r.memory.underLoadMb)
    lines.push(
      `| RSS of the stack process under queue load | ${r.memory.underLoadMb.median} MB | max ${r.memory.underLoadMb.max} MB | | includes the load generator's worker |`,
    );
  if (r.memory.restAfterLoadMb !== undefined)
    lines.push(`| RSS of the stack process at rest after the load (after GC) | ${r.memory.restAfterLoadMb} MB | | | |`);
  lines.push(`| Stack start (startStack in process, fresh databases) | ${r.stackStartSeconds} s | | | |`);
  if (r.startup) {
    lines.push(
      `| \`npm start\` to "graph ready", fresh databases | ${r.startup.coldSeconds} s | | | ${r.startup.note} |`,
    );
    lines.push(`| \`npm start\` to "graph ready", warm | ${r.startup.warmSeconds} s | | | |`);
  } else if (r.startupError) {
    lines.push(`| \`npm start\` | n/a | | | ${r.startupError.split('\n')[0].slice(0, 160)} |`);
  }
  if (r.ftv1) {
    lines.push(
      `| Subgraphs direct, inline tracing off | ${ms(r.ftv1.withoutMs.median)} | ${ms(r.ftv1.withoutMs.p99)} | ${r.ftv1.withoutMs.throughput} pages/s | |`,
    );
    lines.push(
      `| Subgraphs direct, inline tracing (ftv1) requested | ${ms(r.ftv1.withMs.median)} | ${ms(r.ftv1.withMs.p99)} | ${r.ftv1.withMs.throughput} pages/s | ${r.ftv1.choice} |`,
    );
  }
  const tr = r.tracing;
  if (tr) {
    for (const [label, side] of [
      ['off', tr.off],
      ['on (OTLP/HTTP to a local receiver)', tr.on],
    ] as const) {
      lines.push(
        `| Queue page through the gateway, OpenTelemetry tracing ${label} | ${ms(side.queue.latency.median)} | ${ms(side.queue.latency.p99)} | ${side.queue.throughput} pages/s | CPU ${side.queueCpuMsPerPage} ms/page |`,
      );
      lines.push(
        `| Intake through the gateway, OpenTelemetry tracing ${label} | ${ms(side.intake.latency.median)} | ${ms(side.intake.latency.p99)} | ${side.intake.throughput} /s | CPU ${side.intakeCpuMsPerRequest} ms/registration |`,
      );
    }
    lines.push(
      `| Tracing on / off (queue page; intake) | latency ${tr.ratios.queueLatencyMedian}x; ${tr.ratios.intakeLatencyMedian}x | | ${tr.ratios.queueThroughput}x; ${tr.ratios.intakeThroughput}x | CPU ${tr.ratios.queueCpuPerPage}x; ${tr.ratios.intakeCpuPerRequest}x; ${tr.spansReceived} spans exported |`,
    );
  }
  if (r.errors.length) {
    lines.push('');
    lines.push('Sections that failed:');
    for (const e of r.errors) lines.push(`- ${e.split('\n')[0].slice(0, 300)}`);
  }
  return lines.join('\n');
}
