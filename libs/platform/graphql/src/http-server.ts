import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface Readiness {
  [check: string]: () => Promise<boolean>;
}

/**
 * An express app with the probes every process serves: `/healthz` answers while the process
 * lives, `/readyz` only when every dependency (database, event transport, ...) answers.
 */
export function createHttpApp(readiness: Readiness): express.Express {
  const app = express();
  app.disable('x-powered-by');
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

export interface Listening {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one, as tests do). */
export async function listen(app: express.Express, port: number, host = '0.0.0.0'): Promise<Listening> {
  const server = createServer(app);
  // Keep-alive longer than typical load balancers' idle timeouts, so they close first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}
