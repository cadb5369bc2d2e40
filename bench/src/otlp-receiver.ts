import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpReceiver {
  /** The OTLP/HTTP endpoint to put in OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  /** Spans received so far (OTLP/HTTP JSON export requests to /v1/traces). */
  spans(): number;
  /** Export requests received and those that could not be read. */
  exports(): { received: number; unreadable: number };
  stop(): Promise<void>;
}

/**
 * The trace back end of the bench's tracing-on runs: accepts POST /v1/traces (OTLP over HTTP,
 * JSON, as @opentelemetry/exporter-trace-otlp-http sends it), counts the spans and answers
 * success, so the measured cost is the services' own (spans, context, serialising, sending).
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  let spans = 0;
  let received = 0;
  let unreadable = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      received++;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
        };
        for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
      } catch {
        unreadable++;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans: () => spans,
    exports: () => ({ received, unreadable }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
