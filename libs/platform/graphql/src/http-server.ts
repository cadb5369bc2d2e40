import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { httpMetrics, metricsEndpoint, type Metrics, type MetricsSettings } from '@servicecenter/platform-metrics';
import {
  SERVICE_NAME_ATTRIBUTE,
  SpanKind,
  context,
  contextFrom,
  endSpan,
  httpInstrumentationActive,
  registerServicePort,
  startSpan,
  trace,
  tracingEnabled,
} from '@servicecenter/platform-telemetry';

export interface Readiness {
  [check: string]: () => Promise<boolean>;
}

/** A process's metrics and how its /metrics is guarded (libs/platform/metrics). */
export interface HttpMetrics {
  metrics: Metrics;
  settings: MetricsSettings;
}

/**
 * An express app with the probes every process serves: `/healthz` answers while the process
 * lives, `/readyz` only when every dependency (database, event transport, ...) answers; with
 * `metrics`, every request is measured and `/metrics` serves the Prometheus series.
 */
/** What an app serves besides its routes: the service it is (traces) and its metrics (/metrics). */
export interface HttpAppOptions {
  service?: string;
  metrics?: HttpMetrics;
}

export function createHttpApp(readiness: Readiness, options: HttpAppOptions = {}): express.Express {
  const { service, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  // No ETag: express would hash every answer body for it (~2 % of a process's CPU on the queue
  // page), and nothing revalidates: GraphQL answers are POSTed and sent no-store.
  app.disable('etag');
  if (service) {
    app.locals.service = service;
    // Tracing starts before any app is built (main.ts imports it first): off, not even a middleware.
    if (tracingEnabled() && !httpInstrumentationActive()) app.use(traceRequests(service));
  }
  if (metrics) {
    app.use(httpMetrics(metrics.metrics));
    app.get('/metrics', metricsEndpoint(metrics.metrics, metrics.settings));
  }
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const entries = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
    );
    const checks = Object.fromEntries(entries);
    const ready = entries.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  return app;
}

/**
 * Tracing on without the http instrumentation (it is the SDK's, ./sdk; tests may trace without
 * it): a SERVER span per request continuing the caller's `traceparent`, so a trace still runs
 * from the gateway into each subgraph. Installed only then (createHttpApp): no cost with tracing off.
 */
function traceRequests(service: string): express.RequestHandler {
  return (req, res, next) => {
    if (!tracingEnabled() || req.path === '/healthz' || req.path === '/readyz') return next();
    const span = startSpan(`${req.method} ${req.path}`, {
      kind: SpanKind.SERVER,
      service,
      parent: contextFrom({ traceparent: req.header('traceparent'), tracestate: req.header('tracestate') }),
      attributes: { 'http.request.method': req.method, 'url.path': req.path, [SERVICE_NAME_ATTRIBUTE]: service },
    });
    if (!span) return next();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      span.setAttribute('http.response.status_code', res.statusCode);
      endSpan(span, res.statusCode >= 500 ? new Error(`HTTP ${res.statusCode}`) : undefined);
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(context.active(), span), next);
  };
}

/** The largest GraphQL request body a process reads. */
export const MAX_BODY = '1mb';

const graphqlError = (res: express.Response, status: number, code: string, message: string) =>
  res.status(status).json({ errors: [{ message, extensions: { code } }] });

/**
 * Reads a JSON body of at most MAX_BODY. A body too large or not JSON is answered here as a
 * GraphQL error with a code (PAYLOAD_TOO_LARGE, HTTP 413; BAD_REQUEST, HTTP 400), never as
 * express's HTML error page, which carries a stack trace outside production.
 */
export function jsonBody(): express.RequestHandler {
  const parse = express.json({ limit: MAX_BODY });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const e = error as { type?: string };
      if (e.type === 'entity.too.large') {
        return graphqlError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY}.`);
      }
      return graphqlError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON (UTF-8).');
    });
}

/**
 * The last handler of every app: whatever a route did not answer itself is a JSON error with a
 * code, without its message or stack (they are logged by whoever knows the context).
 */
const lastErrorHandler: express.ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = Number((error as { status?: unknown }).status);
  if (status >= 400 && status < 500) return graphqlError(res, status, 'BAD_REQUEST', 'The request was refused.');
  return graphqlError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
};

export interface Listening {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one, as tests do). */
export async function listen(app: express.Express, port: number, host = '0.0.0.0'): Promise<Listening> {
  // Every route is in place when an app listens: the JSON error handler goes last.
  app.use(lastErrorHandler);
  const server = createServer(app);
  // Keep-alive longer than typical load balancers' idle timeouts, so they close first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const service = app.locals.service as string | undefined;
  const unregister = service ? registerServicePort(actualPort, service) : () => undefined;
  return {
    server,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        unregister();
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}
