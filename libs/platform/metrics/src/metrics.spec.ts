import express from 'express';
import type { AddressInfo } from 'node:net';
import { Metrics } from './metrics';
import { loadMetricsSettings, metricsEndpoint } from './http';

async function serve(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('Metrics', () => {
  it('keeps names to the conventions: _total counters, _seconds histograms, one prefix', () => {
    const metrics = new Metrics('requests');
    expect(() => metrics.counter('registrations', 'x')).toThrow(/_total/);
    expect(() => metrics.histogram('apply_duration_ms', 'x', [])).toThrow(/_seconds/);
    expect(() => metrics.gauge('pending_total', 'x')).toThrow(/_total/);
    expect(metrics.counter('things_total', 'x')).toBe(metrics.counter('things_total', 'x'));
  });

  it('gives each service a registry of its own, labelled with the service', async () => {
    const a = new Metrics('requests');
    const b = new Metrics('sla');
    a.counter('things_total', 'x').inc();
    const textA = await a.render();
    const textB = await b.render();
    expect(textA).toContain('servicecenter_things_total{service="requests"} 1');
    expect(textB).not.toContain('servicecenter_things_total');
    // The process series are shared by every service of the process.
    expect(textA).toContain('servicecenter_process_cpu_seconds_total');
    expect(textB).toContain('servicecenter_process_cpu_seconds_total');
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  it('answers 401 without the bearer token and the series with it', async () => {
    const metrics = new Metrics('gateway');
    metrics.counter('things_total', 'x').inc();
    const settings = loadMetricsSettings({ METRICS_TOKEN: 'scrape-secret-0123456789' });
    const app = express();
    app.get('/metrics', metricsEndpoint(metrics, settings));
    const server = await serve(app);
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).not.toContain('servicecenter_');
      const right = await fetch(`${server.url}/metrics`, {
        headers: { authorization: 'Bearer scrape-secret-0123456789' },
      });
      expect(right.status).toBe(200);
      expect(right.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await right.text()).toContain('servicecenter_things_total{service="gateway"} 1');
    } finally {
      await server.close();
    }
  });

  it('refuses a token too short to be a secret', () => {
    expect(() => loadMetricsSettings({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
