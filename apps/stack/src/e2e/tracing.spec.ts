import { Topics } from '@servicecenter/contracts';
import { InProcessTransport } from '@servicecenter/platform-events';
import { SpanKind, parseTraceparent } from '@servicecenter/platform-telemetry';
import type { InMemorySpanExporter, ReadableSpan, TracingHandle } from '@servicecenter/platform-telemetry/sdk';
import { serviceOf, traceIntoMemory, tracedFirstResponse } from '../testing/tracing-e2e';
import { startTestStack, type TestStack } from '../testing/test-stack';

/**
 * One trace from the client's request to the last consumer, in embedded mode (the in-process
 * transport): the gateway, the requests subgraph, its outbox row and publish, the SLA service
 * handling the event and publishing its own (follow-up) event, reporting handling that.
 */
describe('tracing through the graph and its events (in process)', () => {
  let ts: TestStack;
  let exporter: InMemorySpanExporter;
  let tracing: TracingHandle;

  beforeAll(async () => {
    ({ exporter, tracing } = traceIntoMemory());
    ts = await startTestStack();
  });
  afterAll(async () => {
    await ts?.stop();
    await tracing?.shutdown();
  });

  it('keeps the client trace from the gateway through the outbox, the SLA consumer and its follow-up event to reporting', async () => {
    const { traceId, spans } = await tracedFirstResponse(ts, exporter);
    const find = (what: string, match: (s: ReadableSpan) => boolean) => {
      const found = spans.find(match);
      if (!found)
        throw new Error(
          `${what}: not in the trace; it has ${spans.map((s) => `${serviceOf(s)}:${s.name}`).join(', ')}`,
        );
      return found;
    };
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan) => byId.get(s.parentSpanContext?.spanId ?? '');

    const gateway = find('the gateway request', (s) => serviceOf(s) === 'gateway' && s.kind === SpanKind.SERVER);
    const subgraph = find(
      'the requests subgraph request',
      (s) => serviceOf(s) === 'requests' && s.kind === SpanKind.SERVER,
    );
    // The gateway's call to the subgraph: a CLIENT span (undici instrumentation) whose
    // traceparent the subgraph continued.
    const call = parentOf(subgraph);
    expect(call).toBeDefined();
    expect(call && serviceOf(call)).toBe('gateway');
    expect(call?.kind).toBe(SpanKind.CLIENT);
    expect(call?.attributes['http.request.method']).toBe('POST');
    expect(call && parentOf(call)).toBe(gateway);
    const publish = find(
      'the relay publishing the request event',
      (s) => serviceOf(s) === 'requests' && s.kind === SpanKind.PRODUCER && s.name === `publish ${Topics.requests}`,
    );
    // The outbox row carried the subgraph request's context to the relay.
    expect(parentOf(publish)).toBe(subgraph);
    const slaHandles = find(
      'the SLA service handling the request event',
      (s) => serviceOf(s) === 'sla' && s.kind === SpanKind.CONSUMER && parentOf(s) === publish,
    );
    const slaPublishes = find(
      "the SLA service's follow-up event leaving",
      (s) =>
        serviceOf(s) === 'sla' &&
        s.kind === SpanKind.PRODUCER &&
        s.attributes['cloudevents.event_type'] === 'servicecenter.sla.target-completed.v1',
    );
    expect(parentOf(slaPublishes)).toBe(slaHandles);
    const reporting = find(
      'reporting handling the SLA event',
      (s) =>
        serviceOf(s) === 'reporting' &&
        s.kind === SpanKind.CONSUMER &&
        s.attributes['cloudevents.event_type'] === 'servicecenter.sla.target-completed.v1',
    );
    expect(parentOf(reporting)).toBe(slaPublishes);
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));

    // The event itself carries the trace (CloudEvents distributed-tracing extension).
    const transport = ts.stack.transport as InProcessTransport;
    const completed = transport
      .messages(Topics.sla)
      .find((m) => m.envelope.type === 'servicecenter.sla.target-completed.v1' && m.headers.traceparent);
    expect(parseTraceparent(completed?.envelope.traceparent)?.traceId).toBe(traceId);
    expect(parseTraceparent(completed?.envelope.traceparent)?.spanId).toBe(slaHandles.spanContext().spanId);
    expect(parseTraceparent(completed?.headers.traceparent)?.spanId).toBe(slaPublishes.spanContext().spanId);
  });
});
