import { SpanKind, context, trace } from '@opentelemetry/api';
import { contextFrom, parseTraceparent, startSpan, endSpan, traceContextOf, tracingEnabled } from './index';
import { InMemorySpanExporter, exporterFromEnv, samplerFromEnv, startTracing, startTracingFromEnv } from './sdk';

describe('W3C traceparent', () => {
  it('parses a version-00 traceparent', () => {
    expect(parseTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      sampled: true,
    });
  });

  it.each([
    ['', 'empty'],
    ['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331', 'no flags'],
    ['00-00000000000000000000000000000000-b7ad6b7169203331-01', 'all-zero trace id'],
    ['00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01', 'all-zero span id'],
    ['ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'version ff'],
    ['00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01', 'upper case'],
  ])('refuses %p (%s)', (value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });
});

describe('tracing configured by the OTEL_* variables', () => {
  it('stays off without an endpoint or exporter: nothing is started and events carry no context', () => {
    expect(exporterFromEnv({})).toBeUndefined();
    expect(startTracingFromEnv(undefined, {})).toBeUndefined();
    expect(tracingEnabled()).toBe(false);
    expect(startSpan('anything')).toBeUndefined();
    expect(traceContextOf()).toEqual({});
  });

  it('stays off when told so even with an endpoint', () => {
    expect(
      exporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toBeUndefined();
    expect(
      exporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBeUndefined();
  });

  it('exports over OTLP when an endpoint is set', () => {
    expect(exporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' })?.constructor.name).toBe(
      'OTLPTraceExporter',
    );
    expect(exporterFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/v1/traces' })).toBeDefined();
  });

  it('refuses an exporter it does not have', () => {
    expect(() => exporterFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/otlp/);
  });

  it('reads the sampler', () => {
    expect(samplerFromEnv({}).toString()).toMatch(/ParentBased\{root=AlwaysOnSampler/);
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).toString()).toBe(
      'TraceIdRatioBased{0.25}',
    );
    expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER/);
  });
});

describe('spans of several services in one process', () => {
  it('exports each under its own service.name, and a child under its parent service', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ exporter, simple: true, instrument: false, serviceName: 'servicecenter' });
    try {
      const consume = startSpan('process servicecenter.request.registered.v1', {
        kind: SpanKind.CONSUMER,
        service: 'sla',
        parent: contextFrom({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }),
      })!;
      const sql = startSpan('pg.query:INSERT', { parent: trace.setSpan(context.active(), consume) });
      const plain = startSpan('startup');
      for (const s of [sql, consume, plain]) endSpan(s);
      const services = Object.fromEntries(
        exporter.getFinishedSpans().map((s) => [s.name, s.resource.attributes['service.name']]),
      );
      expect(services).toEqual({
        'process servicecenter.request.registered.v1': 'sla',
        'pg.query:INSERT': 'sla',
        startup: 'servicecenter',
      });
      const traceIds = Object.fromEntries(exporter.getFinishedSpans().map((s) => [s.name, s.spanContext().traceId]));
      expect(traceIds['pg.query:INSERT']).toBe('0af7651916cd43dd8448eb211c80319c');
    } finally {
      await tracing.shutdown();
    }
  });
});

describe('start-up noise', () => {
  it('drops GraphQL parse and validate spans outside any operation, keeps them inside one', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ exporter, simple: true, instrument: false });
    try {
      endSpan(startSpan('graphql.parseSchema'));
      const operation = startSpan('POST /graphql', { kind: SpanKind.SERVER, service: 'requests' })!;
      endSpan(startSpan('graphql.parse', { parent: trace.setSpan(context.active(), operation) }));
      endSpan(operation);
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['graphql.parse', 'POST /graphql']);
    } finally {
      await tracing.shutdown();
    }
  });
});
