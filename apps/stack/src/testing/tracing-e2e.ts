import { randomBytes } from 'node:crypto';
import { SpanKind } from '@servicecenter/platform-telemetry';
import {
  InMemorySpanExporter,
  startTracing,
  type ReadableSpan,
  type TracingHandle,
} from '@servicecenter/platform-telemetry/sdk';
import { waitFor } from '@servicecenter/testing';
import { createDesk, tokenFor } from './desk-fixture';
import type { TestStack } from './test-stack';

/**
 * Tracing into memory for a test: every span is kept when it ends. Started before the stack,
 * without the module-patching instrumentations (jest loads modules its own way); the
 * platform's own spans (gateway and subgraph requests, publish, process), the undici
 * instrumentation's (the gateway's subgraph calls: it needs no patching) and propagation are
 * what the tests follow.
 */
export function traceIntoMemory(): { exporter: InMemorySpanExporter; tracing: TracingHandle } {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ exporter, simple: true, instrument: 'fetch' });
  return { exporter, tracing };
}

/** The service a span is exported under (its resource's `service.name`). */
export const serviceOf = (span: ReadableSpan) => span.resource.attributes['service.name'];

/** A client's own W3C trace context: the trace every span of the operation must join. */
export function clientTraceparent(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

const REQUEST = {
  type: 'INCIDENT',
  title: 'Payroll run stops at step 3',
  description: 'Starting the payroll run stops at step 3 with error PR-500 for every employee.',
  businessImpact: 'Salaries of 1,200 employees cannot be paid.',
  evidence: [{ kind: 'SCREENSHOT', name: 'error.png' }],
  requestedPriority: 'HIGH',
  productId: 'prod-payroll',
};

/**
 * The desk's first public response to a new request, sent with the client's own traceparent:
 * requests writes it (outbox), the SLA service consumes it and settles the first-response
 * target (its own outbox row), reporting consumes that. Returns the client's trace id and the
 * spans of that trace once the last hop (reporting applying the SLA's event) ended.
 */
export async function tracedFirstResponse(
  ts: TestStack,
  exporter: InMemorySpanExporter,
): Promise<{ traceId: string; spans: ReadableSpan[]; requestId: string }> {
  await createDesk(ts);
  const [customer, anna] = [await tokenFor(ts.client, 'u-acme'), await tokenFor(ts.client, 'p-anna')];
  const registered = await ts.client.ok<{ registerRequest: { request: { id: string } } }>(
    `mutation($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id } } }`,
    { input: REQUEST },
    customer,
  );
  const requestId = registered.registerRequest.request.id;
  // The SLA clocks run before the response, so the response settles the first-response target.
  await waitFor(
    () =>
      ts.client.ok<{ request: { sla: { targets: { kind: string; state: string }[] } | null } }>(
        `query($id: ID) { request(id: $id) { sla { targets { kind state } } } }`,
        { id: requestId },
        anna,
      ),
    (r) => r.request.sla?.targets.some((t) => t.kind === 'FIRST_RESPONSE' && t.state === 'RUNNING') ?? false,
    { what: 'running SLA clocks' },
  );
  const { traceId, traceparent } = clientTraceparent();
  const answer = await ts.client.request(
    `mutation($input: RequestInformationInput!) { requestInformation(input: $input) { request { id } } }`,
    { input: { requestId, missing: ['The run id'] } },
    anna,
    { traceparent },
  );
  if (answer.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
  const spans = await waitFor(
    async () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId),
    (list) =>
      list.some(
        (s) =>
          serviceOf(s) === 'reporting' &&
          s.kind === SpanKind.CONSUMER &&
          s.attributes['cloudevents.event_type'] === 'servicecenter.sla.target-completed.v1',
      ),
    { what: "reporting's handling of the SLA's target-completed event in the client's trace" },
  );
  return { traceId, spans, requestId };
}
