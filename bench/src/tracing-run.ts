// First: tracing starts here when the parent set OTEL_EXPORTER_OTLP_ENDPOINT (before pg, express, graphql load).
import '@servicecenter/platform-telemetry/register';
import './production-mode';
import { createDesk } from '../../apps/stack/src/testing/desk-fixture';
import { count, createBenchDatabases, settle, startBenchStack } from './bench-stack';
import {
  CONSULTANT,
  CUSTOMER,
  REGISTER,
  gatewayCall,
  queuePageSize,
  queueThroughGateway,
  registerInput,
} from './graph';
import { repeatLoad, type RepeatedLoad } from './load';
import type { BenchOptions } from './options';
import { RESULT_PREFIX, type TracingSide } from './tracing';
import { topUpRequests } from './throughput';

/**
 * One side of the tracing comparison (bench/src/tracing.ts starts it twice, with tracing off
 * and on): the whole graph in this process on fresh databases, the intake and the queue page
 * through the gateway as the main sections measure them, the figures as one JSON line on stdout.
 */

async function main() {
  const options = JSON.parse(process.env.BENCH_TRACING_OPTIONS ?? '') as BenchOptions;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const databases = await createBenchDatabases(
    options.databaseUrl,
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'tron' : 'troff',
  );
  try {
    const bs = await startBenchStack(databases);
    try {
      await createDesk(bs);
      const customerToken = await bs.client.token(CUSTOMER.roles, {
        sub: CUSTOMER.id,
        customerId: CUSTOMER.customerId,
        name: CUSTOMER.name,
      });
      const common = { concurrency: options.concurrency, durationMs: options.seconds * 1000 };
      const intake = await repeatLoad(options.runs, {
        ...common,
        scenario: {
          kind: 'single',
          call: gatewayCall(bs.gatewayUrl, customerToken, REGISTER, { input: registerInput(1) }),
        },
        warmupMs: 500,
      });
      const have = await count(bs.env.REQUESTS_DATABASE_URL, 'SELECT count(*) AS n FROM request');
      await topUpRequests(bs.client, customerToken, have, options.requests, options.concurrency, log);
      await settle(bs);
      const token = await bs.client.token(CONSULTANT.roles, { sub: CONSULTANT.id, name: CONSULTANT.name });
      await queuePageSize(bs.client, token, options.pageSize);
      const queue = await repeatLoad(options.runs, {
        ...common,
        scenario: queueThroughGateway(bs.gatewayUrl, token, options.pageSize),
        warmupMs: 1000,
      });
      const per = (load: RepeatedLoad) => Math.round((load.cpu.selfMs / Math.max(1, load.cpu.requests)) * 100) / 100;
      const side: TracingSide = {
        intake,
        queue,
        intakeCpuMsPerRequest: per(intake),
        queueCpuMsPerPage: per(queue),
      };
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(side)}\n`);
    } finally {
      await bs.stack.stop();
    }
  } finally {
    await databases.drop();
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  // Tracing on: buffered spans leave at exit (the SDK's beforeExit hook) before this ends.
  .finally(() => setTimeout(() => process.exit(), 2_000).unref());
