import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';

/**
 * Tracing for the whole graph (docs/tracing.md). This module needs only the OpenTelemetry API:
 * libraries call it everywhere, and until `startTracing` (./sdk) installed a tracer provider
 * every helper here returns at once, so with tracing off nothing is created, sent or stored
 * (the `traceparent` fields of events stay empty).
 */
let enabled = false;

/** True once a tracer provider was installed in this process (./sdk). */
export const tracingEnabled = (): boolean => enabled;

/** Set by ./sdk when it installs (or removes) the tracer provider. */
export function setTracingEnabled(on: boolean): void {
  enabled = on;
}

/**
 * The span attribute that names the service a span belongs to. In one process running several
 * services (`npm start`, the tests) the exporter exports each span under a resource with this
 * `service.name`, so a trace viewer shows the services as separate processes would.
 */
export const SERVICE_NAME_ATTRIBUTE = 'service.name';

let flushHook: (() => Promise<void>) | undefined;

/** Set by ./sdk: exports what is buffered and stops the provider. */
export function setTracingShutdown(hook: (() => Promise<void>) | undefined): void {
  flushHook = hook;
}

/**
 * Sends the spans still buffered before the process exits (a stopping service calls it before
 * `process.exit`); waits at most `timeoutMs`. Does nothing with tracing off.
 */
export async function shutdownTracing(timeoutMs = 3_000): Promise<void> {
  if (!flushHook) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    flushHook().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
}

let httpInstrumented = false;

/** True when the http instrumentation traces incoming and outgoing requests (./sdk in production). */
export const httpInstrumentationActive = (): boolean => enabled && httpInstrumented;

/** Set by ./sdk when it registers the http instrumentation. */
export function setHttpInstrumented(on: boolean): void {
  httpInstrumented = on;
}

let fetchInstrumented = false;

/**
 * True when the undici instrumentation traces fetch calls (the gateway's subgraph calls): it
 * sends each call's `traceparent` itself, so callers add none of their own.
 */
export const fetchInstrumentationActive = (): boolean => enabled && fetchInstrumented;

/** Set by ./sdk when it registers the undici instrumentation. */
export function setFetchInstrumented(on: boolean): void {
  fetchInstrumented = on;
}

const servicesByPort = new Map<number, string>();

/**
 * Names the service listening on a port, so the http instrumentation's server span of a
 * request to it carries `service.name` (several services share one process in `npm start`).
 */
export function registerServicePort(port: number, service: string): () => void {
  servicesByPort.set(port, service);
  return () => {
    if (servicesByPort.get(port) === service) servicesByPort.delete(port);
  };
}

export const serviceOfPort = (port: number | undefined): string | undefined =>
  port === undefined ? undefined : servicesByPort.get(port);

/** The W3C trace context of an event (the CloudEvents distributed-tracing extension). */
export interface TraceContext {
  traceparent?: string;
  tracestate?: string;
}

/** The W3C trace context of `ctx` (default: the active one); empty when tracing is off or nothing is traced. */
export function traceContextOf(ctx: Context = context.active()): TraceContext {
  if (!enabled) return {};
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  if (!carrier.traceparent) return {};
  return carrier.tracestate
    ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate }
    : { traceparent: carrier.traceparent };
}

/** The context a W3C trace context continues (ROOT_CONTEXT when there is none or tracing is off). */
export function contextFrom(carrier: TraceContext | Record<string, string | undefined>): Context {
  if (!enabled || !carrier.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Writes the active context's `traceparent`/`tracestate` into outgoing headers (HTTP, Kafka). */
export function injectTraceHeaders(set: (name: string, value: string) => void, ctx: Context = context.active()): void {
  const tc = traceContextOf(ctx);
  if (tc.traceparent) set('traceparent', tc.traceparent);
  if (tc.tracestate) set('tracestate', tc.tracestate);
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Parses a W3C `traceparent` (version 00); undefined when it is not one. */
export function parseTraceparent(
  value: string | undefined,
): { traceId: string; spanId: string; sampled: boolean } | undefined {
  const match = value ? TRACEPARENT.exec(value.trim()) : null;
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2]) || /^0+$/.test(match[3])) return undefined;
  return { traceId: match[2], spanId: match[3], sampled: (parseInt(match[4], 16) & 1) === 1 };
}

export interface SpanOptions {
  kind?: SpanKind;
  /** The service the span belongs to (see SERVICE_NAME_ATTRIBUTE); inherited from the parent when absent. */
  service?: string;
  attributes?: Attributes;
  links?: Link[];
  /** The parent context; the active one when absent. */
  parent?: Context;
}

const tracer = () => trace.getTracer('@servicecenter/platform');

/** Starts a span (tracing on) or returns undefined (off). End it with `endSpan`. */
export function startSpan(name: string, options: SpanOptions = {}): Span | undefined {
  if (!enabled) return undefined;
  const attributes: Attributes = { ...options.attributes };
  if (options.service) attributes[SERVICE_NAME_ATTRIBUTE] = options.service;
  return tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes, links: options.links },
    options.parent ?? context.active(),
  );
}

/** Ends a span, with an error status when `error` is given. */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
  }
  span.end();
}

/** Runs `work` inside a new span (ended when it settles); just runs it when tracing is off. */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span?: Span) => Promise<T>): Promise<T> {
  const span = startSpan(name, options);
  if (!span) return work();
  try {
    const result = await context.with(trace.setSpan(options.parent ?? context.active(), span), () => work(span));
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/** Runs `fn` with `span` active (just runs it when there is no span). */
export function withSpan<T>(span: Span | undefined, fn: () => T): T {
  if (!span) return fn();
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** A link to the span a W3C trace context names (none when there is none). */
export function linkTo(carrier: TraceContext): Link[] {
  const spanContext = trace.getSpanContext(contextFrom(carrier));
  return spanContext ? [{ context: spanContext }] : [];
}

export { ROOT_CONTEXT, SpanKind, context, trace, type Context, type Span };
