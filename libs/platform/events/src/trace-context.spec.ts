import { z } from 'zod';
import type { EntityManager } from 'typeorm';
import {
  parseTraceparent,
  startSpan,
  trace,
  context,
  endSpan,
  tracingEnabled,
} from '@servicecenter/platform-telemetry';
import { InMemorySpanExporter, startTracing, type TracingHandle } from '@servicecenter/platform-telemetry/sdk';
import { defineEvent, fromBinaryMode, toBinaryMode, type EventEnvelope } from '@servicecenter/contracts';
import { event, OutboxWriter } from './index';

/**
 * The CloudEvents distributed-tracing extension on our events: the outbox writes the trace
 * context of the operation into each event, and the wire form carries it as `ce_traceparent`
 * / `ce_tracestate` (and reads it back).
 */
const Counted = defineEvent({
  type: 'servicecenter.test.traced.v1',
  topic: 'test.traced',
  description: 'test event',
  schema: z.object({ n: z.number().int() }),
});

/** An EntityManager that keeps the envelopes' attributes the outbox writer inserts (its one JSON parameter of rows). */
function capturingManager(): { manager: EntityManager; envelopes: () => Record<string, unknown>[] } {
  const rows: { attributes: Record<string, unknown> }[] = [];
  const manager = {
    query: async (_sql: string, [inserted]: [string]) => void rows.push(...JSON.parse(inserted)),
  } as unknown as EntityManager;
  return { manager, envelopes: () => rows.map((r) => r.attributes) };
}

const envelope = (extra: Partial<EventEnvelope> = {}): EventEnvelope => ({
  specversion: '1.0',
  id: 'e-1',
  source: '/servicecenter/requests',
  type: 'servicecenter.test.traced.v1',
  time: '2026-12-03T10:00:00.000Z',
  subject: 'r-1',
  datacontenttype: 'application/json',
  sequence: '00000000000000000001',
  data: { n: 1 },
  ...extra,
});

describe('trace context on the event envelope', () => {
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  it('travels as ce_traceparent and ce_tracestate in binary mode and is read back', () => {
    const { headers } = toBinaryMode(envelope({ traceparent, tracestate: 'vendor=abc' }));
    expect(headers.ce_traceparent).toBe(traceparent);
    expect(headers.ce_tracestate).toBe('vendor=abc');
    const back = fromBinaryMode(headers, '{"n":1}');
    expect(back.traceparent).toBe(traceparent);
    expect(back.tracestate).toBe('vendor=abc');
  });

  it('is absent from the wire and the envelope when the event carries none', () => {
    const { headers } = toBinaryMode(envelope());
    expect(Object.keys(headers).filter((h) => h.includes('trace'))).toEqual([]);
    const back = fromBinaryMode(headers, '{"n":1}');
    expect('traceparent' in back).toBe(false);
  });
});

describe('the outbox writer with tracing off', () => {
  it('writes events without trace context', async () => {
    expect(tracingEnabled()).toBe(false);
    const { manager, envelopes } = capturingManager();
    await new OutboxWriter('/servicecenter/requests').append(manager, [event(Counted, 'r-1', { n: 1 })]);
    expect(envelopes()[0]).not.toHaveProperty('traceparent');
    expect(envelopes()[0]).not.toHaveProperty('tracestate');
  });
});

describe('the outbox writer with tracing on', () => {
  let tracing: TracingHandle;
  beforeAll(() => {
    tracing = startTracing({ exporter: new InMemorySpanExporter(), simple: true, instrument: false });
  });
  afterAll(async () => {
    await tracing.shutdown();
  });

  it("writes the active span's context into every event of the transaction", async () => {
    const { manager, envelopes } = capturingManager();
    const span = startSpan('registerRequest')!;
    await context.with(trace.setSpan(context.active(), span), () =>
      new OutboxWriter('/servicecenter/requests').append(manager, [
        event(Counted, 'r-1', { n: 1 }),
        event(Counted, 'r-1', { n: 2 }),
      ]),
    );
    endSpan(span);
    for (const written of envelopes()) {
      expect(parseTraceparent(written.traceparent as string)).toEqual({
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        sampled: true,
      });
    }
  });

  it("writes a consumer's follow-up events into the trace of their cause, not the active one", async () => {
    const { manager, envelopes } = capturingManager();
    const cause = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const active = startSpan('a batch of other events')!;
    await context.with(trace.setSpan(context.active(), active), () =>
      new OutboxWriter('/servicecenter/sla').appendAll(manager, [
        { events: [event(Counted, 'r-1', { n: 1 })], meta: { trace: { traceparent: cause } } },
        { events: [event(Counted, 'r-2', { n: 2 })], meta: { trace: {} } },
      ]),
    );
    endSpan(active);
    const [first, second] = envelopes();
    expect(first.traceparent).toBe(cause);
    expect(second).not.toHaveProperty('traceparent');
  });

  it('writes no trace context outside a traced operation', async () => {
    const { manager, envelopes } = capturingManager();
    await new OutboxWriter('/servicecenter/requests').append(manager, [event(Counted, 'r-1', { n: 1 })]);
    expect(envelopes()[0]).not.toHaveProperty('traceparent');
  });
});
