import {
  context,
  diag,
  propagation,
  trace,
  DiagLogLevel,
  type Attributes,
  type Context,
  type Link,
  type SpanKind,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  ExportResultCode,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
  type ExportResult,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type ReadableSpan,
  type Sampler,
  type SamplingResult,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import {
  SERVICE_NAME_ATTRIBUTE,
  serviceOfPort,
  setFetchInstrumented,
  setHttpInstrumented,
  setTracingEnabled,
  setTracingShutdown,
} from './index';

export interface TracingHandle {
  /** Exports what is buffered. */
  forceFlush(): Promise<void>;
  /** Exports what is buffered, removes the tracer provider and the instrumentations. */
  shutdown(): Promise<void>;
}

export interface StartTracingOptions {
  /** Where finished spans go (the OTLP exporter from the environment in production). */
  exporter: SpanExporter;
  /** Export each span when it ends instead of in batches (tests). */
  simple?: boolean;
  /** `service.name` of spans that name no service (default OTEL_SERVICE_NAME, else `servicecenter`). */
  serviceName?: string;
  /**
   * Patch http, express, graphql and pg and trace fetch (default true; they patch modules loaded
   * after this call). `'fetch'`: fetch only (undici's diagnostics channels, no module patched:
   * works under jest, where the others cannot patch).
   */
  instrument?: boolean | 'fetch';
  sampler?: Sampler;
}

let running: TracingHandle | undefined;

/**
 * Installs a tracer provider for this process: W3C trace-context propagation, async context
 * across awaits, the http/express/graphql/pg/undici instrumentations and an exporter that sends each
 * span under its service's resource. Call it before express, pg and graphql are loaded (the
 * services' `main.ts` import `./tracing` first: apps/<service>/src/tracing.ts).
 */
export function startTracing(options: StartTracingOptions): TracingHandle {
  if (running) return running;
  const base = detectResources({ detectors: [envDetector] }).merge(
    resourceFromAttributes(
      process.env.OTEL_SERVICE_NAME ? {} : { [SERVICE_NAME_ATTRIBUTE]: options.serviceName ?? 'servicecenter' },
    ),
  );
  const resource = defaultResource().merge(base);
  const exporter = new ServiceResourceExporter(options.exporter, resource);
  const provider = new TracerProvider({
    resource,
    sampler: new NoParentlessGraphqlSpans(options.sampler ?? samplerFromEnv()),
    spanProcessors: [
      new ServiceInheritance(),
      options.simple
        ? new SimpleSpanProcessor({ exporter })
        : new BatchSpanProcessor({ exporter, ...batchOptionsFromEnv() }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  const instrumentations =
    options.instrument === false
      ? []
      : options.instrument === 'fetch'
        ? [fetchInstrumentation()]
        : [...moduleInstrumentations(), fetchInstrumentation()];
  const unregister =
    instrumentations.length === 0
      ? () => undefined
      : registerInstrumentations({ tracerProvider: provider, instrumentations });
  setTracingEnabled(true);
  setHttpInstrumented(options.instrument === undefined || options.instrument === true);
  setFetchInstrumented(options.instrument !== false);
  const handle: TracingHandle = {
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      if (running !== handle) return;
      running = undefined;
      setTracingShutdown(undefined);
      setTracingEnabled(false);
      setHttpInstrumented(false);
      setFetchInstrumented(false);
      unregister();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
  running = handle;
  setTracingShutdown(() => handle.shutdown());
  return handle;
}

/** The instrumentations that patch modules as they load: http, express, graphql, pg. */
function moduleInstrumentations() {
  return [
    new HttpInstrumentation({
      // Probes and the exporter's own requests are not traced.
      ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? ''),
      ignoreOutgoingRequestHook: (req) => String(req.path ?? '').startsWith('/v1/traces'),
      startIncomingSpanHook: (req) => {
        const service = serviceOfPort(req.socket?.localPort);
        return service ? { [SERVICE_NAME_ATTRIBUTE]: service } : {};
      },
    }),
    // Route handlers only: a span per middleware (body parser, probes) says little.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    // Parse, validate and execute; a span per resolver would multiply a queue page's spans by its rows.
    new GraphQLInstrumentation({ ignoreResolveSpans: true, mergeItems: true }),
    // Only SQL that belongs to a traced operation: not the relay's idle polls.
    new PgInstrumentation({ requireParentSpan: true }),
  ];
}

/**
 * fetch (undici's package and Node's own, through their diagnostics channels): the gateway's
 * subgraph calls, a CLIENT span each, its `traceparent` sent with the call. The http
 * instrumentation does not see them. Calls outside a traced operation make no span.
 */
function fetchInstrumentation() {
  return new UndiciInstrumentation({
    requireParentforSpans: true,
    ignoreRequestHook: (request) => request.path.startsWith('/v1/traces'),
  });
}

/**
 * Starts tracing when the environment asks for it: `OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` set (OTLP over HTTP), or `OTEL_TRACES_EXPORTER=otlp|console`.
 * `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` keep it off. Otherwise nothing is
 * started: no provider, no exporter, no instrumentation.
 */
export function startTracingFromEnv(
  serviceName?: string,
  env: NodeJS.ProcessEnv = process.env,
): TracingHandle | undefined {
  const exporter = exporterFromEnv(env);
  if (!exporter) return undefined;
  if (env.OTEL_LOG_LEVEL) {
    const level = DiagLogLevel[env.OTEL_LOG_LEVEL.toUpperCase() as keyof typeof DiagLogLevel];
    if (level !== undefined) diag.setLogger({ ...console, verbose: console.debug }, level);
  }
  const handle = startTracing({ exporter, serviceName });
  // Spans still buffered leave before the process ends.
  const flushOnExit = () => void handle.shutdown();
  process.once('beforeExit', flushOnExit);
  return handle;
}

/** The exporter the OTEL_* variables ask for, or undefined when tracing stays off. */
export function exporterFromEnv(env: NodeJS.ProcessEnv = process.env): SpanExporter | undefined {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return undefined;
  const names = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (names.length === 0) return endpoint ? new OTLPTraceExporter() : undefined;
  if (names.includes('none')) return undefined;
  if (names.includes('otlp')) return new OTLPTraceExporter();
  if (names.includes('console')) return new ConsoleSpanExporter();
  throw new Error(`OTEL_TRACES_EXPORTER=${env.OTEL_TRACES_EXPORTER}: only otlp (over HTTP), console or none`);
}

/** OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE, OTEL_BSP_EXPORT_TIMEOUT (the SDK's defaults otherwise). */
export function batchOptionsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const positive = (name: string) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}=${raw}: a positive whole number`);
    return n;
  };
  return {
    scheduledDelayMillis: positive('OTEL_BSP_SCHEDULE_DELAY'),
    maxQueueSize: positive('OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: positive('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    exportTimeoutMillis: positive('OTEL_BSP_EXPORT_TIMEOUT'),
  };
}

/** OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG (default parentbased_always_on). */
export function samplerFromEnv(env: NodeJS.ProcessEnv = process.env): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on').trim().toLowerCase();
  const arg = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
  const ratio = Number.isFinite(arg) && arg >= 0 && arg <= 1 ? arg : 1;
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default:
      throw new Error(
        `OTEL_TRACES_SAMPLER=${env.OTEL_TRACES_SAMPLER}: one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio`,
      );
  }
}

/**
 * GraphQL parses and validates outside any request (the schemas at start-up, composition) make
 * a root span each: hundreds of one-span traces that say nothing. Dropped; everything else
 * goes to the configured sampler.
 */
class NoParentlessGraphqlSpans implements Sampler {
  constructor(private readonly inner: Sampler) {}

  shouldSample(
    ctx: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (spanName.startsWith('graphql.') && !trace.getSpanContext(ctx)) return { decision: SamplingDecision.NOT_RECORD };
    return this.inner.shouldSample(ctx, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return this.inner.toString();
  }
}

/**
 * A span without a service of its own belongs to its parent's (a SQL statement to the service
 * that ran it). The parent in the context may be a bare span context rather than the span
 * itself (Apollo gateway's own OpenTelemetry API copy wraps the active span in a non-recording
 * one around each subgraph fetch): then the service of the open span with that id.
 */
class ServiceInheritance implements SpanProcessor {
  private readonly openServices = new Map<string, string>();

  onStart(span: Span, parentContext: Context): void {
    let service = span.attributes[SERVICE_NAME_ATTRIBUTE];
    if (service === undefined) {
      const parent = trace.getSpan(parentContext) as
        { attributes?: Record<string, unknown>; spanContext(): { spanId: string } } | undefined;
      service =
        parent?.attributes?.[SERVICE_NAME_ATTRIBUTE] ?? (parent && this.openServices.get(parent.spanContext().spanId));
      if (typeof service === 'string') span.setAttribute(SERVICE_NAME_ATTRIBUTE, service);
    }
    if (typeof service === 'string') this.openServices.set(span.spanContext().spanId, service);
  }
  onEnd(span: ReadableSpan): void {
    this.openServices.delete(span.spanContext().spanId);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Exports each span under a resource whose `service.name` is the span's SERVICE_NAME_ATTRIBUTE
 * (the process's resource otherwise): in one process running several services, a trace viewer
 * still lists `gateway`, `requests`, `sla`... as services.
 */
export class ServiceResourceExporter implements SpanExporter {
  private readonly resources = new Map<string, Resource>();

  constructor(
    private readonly inner: SpanExporter,
    private readonly processResource: Resource,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      this.inner.export(
        spans.map((span) => this.withServiceResource(span)),
        resultCallback,
      );
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  private withServiceResource(span: ReadableSpan): ReadableSpan {
    const service = span.attributes[SERVICE_NAME_ATTRIBUTE];
    if (typeof service !== 'string' || service === this.processResource.attributes[SERVICE_NAME_ATTRIBUTE]) return span;
    let resource = this.resources.get(service);
    if (!resource) {
      resource = this.processResource.merge(resourceFromAttributes({ [SERVICE_NAME_ATTRIBUTE]: service }));
      this.resources.set(service, resource);
    }
    const { [SERVICE_NAME_ATTRIBUTE]: _moved, ...attributes } = span.attributes;
    return {
      name: span.name,
      kind: span.kind,
      spanContext: () => span.spanContext(),
      parentSpanContext: span.parentSpanContext,
      startTime: span.startTime,
      endTime: span.endTime,
      status: span.status,
      attributes,
      links: span.links,
      events: span.events,
      duration: span.duration,
      ended: span.ended,
      resource,
      instrumentationScope: span.instrumentationScope,
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    };
  }
}

export { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
