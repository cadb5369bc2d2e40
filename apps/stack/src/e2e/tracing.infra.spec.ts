import { Topics } from '@servicecenter/contracts';
import { SpanKind, parseTraceparent } from '@servicecenter/platform-telemetry';
import type { InMemorySpanExporter, ReadableSpan, TracingHandle } from '@servicecenter/platform-telemetry/sdk';
import { describeWithKafka, waitFor } from '@servicecenter/testing';
import { plainConsumer, startKafkaTestStack } from '../testing/kafka-e2e';
import type { TestStack } from '../testing/test-stack';
import { serviceOf, traceIntoMemory, tracedFirstResponse } from '../testing/tracing-e2e';

/**
 * The same trace with the events on the real broker: the relay's publish span and the
 * consumers' spans meet through the Kafka message's headers, and a product-development team's
 * plain kafkajs consumer finds the trace context on the message to continue it.
 */
describeWithKafka('tracing through the graph and its events (Kafka)', () => {
  let ts: TestStack;
  let exporter: InMemorySpanExporter;
  let tracing: TracingHandle;
  let pd: Awaited<ReturnType<typeof plainConsumer>>;

  beforeAll(async () => {
    ({ exporter, tracing } = traceIntoMemory());
    ts = await startKafkaTestStack('tracing-infra-test');
    pd = await plainConsumer(Topics.sla, 'pd-tracing-consumer');
  }, 120_000);
  afterAll(async () => {
    await pd?.stop();
    await ts?.stop();
    await tracing?.shutdown();
  });

  it('keeps one trace from the gateway over Kafka to the SLA consumer and its follow-up event, readable by any Kafka client', async () => {
    const { traceId, spans } = await tracedFirstResponse(ts, exporter);
    const of = (service: string, kind: SpanKind, type?: string) =>
      spans.filter(
        (s: ReadableSpan) =>
          serviceOf(s) === service &&
          s.kind === kind &&
          (type === undefined || s.attributes['cloudevents.event_type'] === type),
      );
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan) => byId.get(s.parentSpanContext?.spanId ?? '');

    const [gateway] = of('gateway', SpanKind.SERVER);
    const publishes = of('requests', SpanKind.PRODUCER);
    expect(gateway).toBeDefined();
    expect(publishes.length).toBeGreaterThan(0);
    for (const p of publishes) expect(p.attributes['messaging.system']).toBe('kafka');
    const slaHandles = of('sla', SpanKind.CONSUMER).filter((s) => publishes.includes(parentOf(s)!));
    expect(slaHandles.length).toBeGreaterThan(0);
    const [slaPublish] = of('sla', SpanKind.PRODUCER, 'servicecenter.sla.target-completed.v1');
    expect(slaHandles).toContain(parentOf(slaPublish));
    const [reporting] = of('reporting', SpanKind.CONSUMER, 'servicecenter.sla.target-completed.v1');
    expect(parentOf(reporting)).toBe(slaPublish);

    // What a product-development team's plain kafkajs consumer sees on the SLA's event.
    const eventId = slaPublish.attributes['cloudevents.event_id'];
    const message = await waitFor(
      async () => pd.received.find((m) => m.headers.ce_id === eventId),
      (m) => m !== undefined,
      { what: "the SLA's target-completed event on Kafka" },
    );
    const header = parseTraceparent(message!.headers.traceparent);
    expect(header).toEqual({ traceId, spanId: slaPublish.spanContext().spanId, sampled: true });
    expect(parseTraceparent(message!.headers.ce_traceparent)?.traceId).toBe(traceId);
  });
});
