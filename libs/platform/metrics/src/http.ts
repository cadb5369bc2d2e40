import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { loadConfig } from '@servicecenter/platform-config';
import type { Metrics } from './metrics';

export interface MetricsSettings {
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  token?: string;
}

/** METRICS_TOKEN: guards /metrics on every service and the gateway (docs/operations.md). */
export function loadMetricsSettings(source: Record<string, string | undefined>): MetricsSettings {
  const raw = loadConfig(
    z.object({ METRICS_TOKEN: z.string().min(16, 'must have at least 16 characters').optional() }),
    source,
  );
  return { token: raw.METRICS_TOKEN };
}

/** The paths a process serves; anything else is counted as `other` (bounded labels). */
const ROUTES = new Set(['graphql', 'healthz', 'readyz', 'metrics', 'reviews']);
const routeOf = (path: string): string => {
  const end = path.indexOf('/', 1);
  const first = end < 0 ? path.slice(1) : path.slice(1, end);
  return ROUTES.has(first) ? `/${first}` : 'other';
};
const METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS']);
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** `servicecenter_http_request_duration_seconds{method, route, status_class}`: goes before every route. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  const duration = metrics.histogram(
    'http_request_duration_seconds',
    'HTTP requests served, by method, route (first path segment) and status class',
    ['method', 'route', 'status_class'],
  );
  return (req, res, next) => {
    const started = performance.now();
    // Read now: a mounted router rewrites req.path while it runs.
    const route = routeOf(req.path);
    res.once('finish', () => {
      duration.observe(
        {
          method: METHODS.has(req.method) ? req.method : 'OTHER',
          route,
          status_class: STATUS_CLASSES[Math.floor(res.statusCode / 100) - 1] ?? 'other',
        },
        (performance.now() - started) / 1000,
      );
    });
    next();
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics in the text exposition format. No JWT: Prometheus scrapes it. With a token
 * configured, a scrape without `Authorization: Bearer <token>` gets 401 and no series.
 */
export function metricsEndpoint(metrics: Metrics, settings: MetricsSettings): RequestHandler {
  const expected = settings.token ? digest(settings.token) : undefined;
  return async (req, res) => {
    if (expected) {
      const match = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '');
      if (!match || !timingSafeEqual(digest(match[1]), expected)) {
        res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('metrics token required\n');
        return;
      }
    }
    try {
      const body = await metrics.render();
      res.status(200).type(metrics.contentType).send(body);
    } catch {
      res.status(500).type('text/plain').send('metrics could not be collected\n');
    }
  };
}
