import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Topics } from '@servicecenter/contracts';
import { freePort } from '@servicecenter/platform-database';
import {
  describeWithKafka,
  itWithBinary,
  metricsUrlOf,
  scrape,
  valueOf,
  waitFor,
  type Sample,
} from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import { startKafkaTestStack } from '../testing/kafka-e2e';
import type { TestStack } from '../testing/test-stack';

const run = promisify(execFile);
const RULES_DIR = join(__dirname, '../../../../infra/observability/prometheus/rules');
const RULES_FILE = join(RULES_DIR, 'servicecenter.rules.yml');
const INSTALL = 'Debian: apt-get install -y prometheus';

/**
 * The operators' side on real infrastructure: the alert rules pass promtool, consumer lag is
 * read from the broker, and a real Prometheus scrapes the running graph and evaluates the rules.
 */
describeWithKafka('observability: alert rules, consumer lag, a real Prometheus', () => {
  itWithBinary(
    'promtool',
    INSTALL,
    'the alert rules pass promtool check rules and their unit tests',
    async (promtool) => {
      const checked = await run(promtool, ['check', 'rules', RULES_FILE]);
      expect(checked.stdout).toMatch(/SUCCESS: \d+ rules found/);
      // A failing unit test exits non-zero, which rejects here.
      const tested = await run(promtool, ['test', 'rules', 'servicecenter.rules.test.yml'], { cwd: RULES_DIR });
      expect(tested.stdout).toContain('SUCCESS');
    },
  );

  describe('on the graph with Kafka', () => {
    let ts: TestStack;
    let requestsPublished = 0;

    beforeAll(async () => {
      ts = await startKafkaTestStack('observability-infra-test');
      await createDesk(ts);
      await ts.client.ok(
        `mutation($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id } } }`,
        {
          input: {
            type: 'INCIDENT',
            title: 'Payroll run stops at step 3',
            description: 'Starting the November payroll run stops at step 3 with error PR-500.',
            businessImpact: 'Salaries of 1,200 employees cannot be paid on Friday.',
            evidence: [{ kind: 'ERROR_MESSAGE', name: 'log', text: 'PR-500' }],
            requestedPriority: 'HIGH',
            productId: 'prod-payroll',
          },
        },
        await tokenFor(ts.client, 'u-acme'),
      );
      const requests = await waitFor(
        () => scrape(metricsUrlOf(ts.stack.subgraphUrls.requests)),
        (s) => valueOf(s, 'servicecenter_outbox_pending_events') === 0,
        { what: 'the requests outbox drained to Kafka', timeoutMs: 60_000 },
      );
      requestsPublished = valueOf(requests, 'servicecenter_outbox_published_events_total');
    }, 180_000);

    afterAll(async () => {
      await ts?.stop();
    });

    it('reports the lag of each group per topic and partition, and it drains', async () => {
      expect(requestsPublished).toBeGreaterThan(0);
      const lagOf = (s: Sample[]) =>
        s.filter(
          (x) =>
            x.name === 'servicecenter_consumer_lag_messages' &&
            x.labels.group === 'servicecenter.sla' &&
            x.labels.topic === Topics.requests,
        );
      // Read from the broker at most every 10 s: wait for a reading that shows the group caught up.
      const sla = await waitFor(
        () => scrape(metricsUrlOf(ts.stack.subgraphUrls.sla)),
        (s) => lagOf(s).length > 0 && lagOf(s).every((x) => x.value === 0),
        { what: 'the sla group caught up on the requests topic', timeoutMs: 90_000, intervalMs: 1_000 },
      );
      // One series per partition of the topic (the transport creates 3).
      expect(new Set(lagOf(sla).map((x) => x.labels.partition))).toEqual(new Set(['0', '1', '2']));
      expect(
        valueOf(sla, 'servicecenter_consumer_applied_events_total', { group: 'servicecenter.sla' }),
      ).toBeGreaterThan(0);
    }, 120_000);

    itWithBinary(
      'prometheus',
      INSTALL,
      'a real Prometheus scrapes every service and the gateway and evaluates the alert rules',
      async (prometheus) => {
        const dir = mkdtempSync(join(tmpdir(), 'sc-prometheus-'));
        const port = await freePort();
        const targets = [ts.stack.gatewayUrl, ...Object.values(ts.stack.subgraphUrls)].map(
          (url) => `127.0.0.1:${new URL(url).port}`,
        );
        // One rule of our own that must fire on what the registration above did.
        writeFileSync(
          join(dir, 'ci.rules.yml'),
          [
            'groups:',
            '  - name: ci',
            '    rules:',
            '      - alert: CiRequestRegistered',
            '        expr: sum(servicecenter_requests_registered_total{type="INCIDENT",priority="HIGH"}) > 0',
            '',
          ].join('\n'),
        );
        writeFileSync(
          join(dir, 'prometheus.yml'),
          [
            'global: { scrape_interval: 1s, evaluation_interval: 1s }',
            `rule_files: [${JSON.stringify(RULES_FILE)}, ${JSON.stringify(join(dir, 'ci.rules.yml'))}]`,
            'scrape_configs:',
            '  - job_name: servicecenter',
            `    static_configs: [{ targets: ${JSON.stringify(targets)} }]`,
            '',
          ].join('\n'),
        );
        let child: ChildProcess | undefined;
        let output = '';
        try {
          child = spawn(
            prometheus,
            [
              `--config.file=${join(dir, 'prometheus.yml')}`,
              `--storage.tsdb.path=${join(dir, 'data')}`,
              `--web.listen-address=127.0.0.1:${port}`,
            ],
            { stdio: ['ignore', 'pipe', 'pipe'] },
          );
          child.stdout?.on('data', (d) => (output += d));
          child.stderr?.on('data', (d) => (output += d));
          const api = async <T>(path: string): Promise<T> => {
            const response = await fetch(`http://127.0.0.1:${port}/api/v1/${path}`);
            const body = (await response.json()) as { status: string; data: T };
            if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
            return body.data;
          };
          const what = (w: string) => ({ what: w, timeoutMs: 60_000, intervalMs: 500 });

          const targetsUp = await waitFor(
            () => api<{ activeTargets: { health: string; scrapeUrl: string; lastError: string }[] }>('targets'),
            (t) => t.activeTargets.length === 6 && t.activeTargets.every((x) => x.health === 'up'),
            what('Prometheus scraping the gateway and the five services'),
          ).catch((error: Error) => {
            throw new Error(`${error.message}\nprometheus output:\n${output.slice(-2_000)}`);
          });
          expect(targetsUp.activeTargets.map((t) => t.scrapeUrl).every((u) => u.endsWith('/metrics'))).toBe(true);

          const alerts = await waitFor(
            () => api<{ alerts: { labels: { alertname: string }; state: string }[] }>('alerts'),
            (a) => a.alerts.some((x) => x.labels.alertname === 'CiRequestRegistered' && x.state === 'firing'),
            what('the CI alert firing on the scraped registration'),
          );
          // Nothing of ours fires on a healthy graph.
          expect(alerts.alerts.filter((x) => x.labels.alertname.startsWith('Servicecenter'))).toEqual([]);

          // Every rule of the rules file was evaluated against the real series without an error.
          type Rule = { name: string; health: string; lastError?: string; lastEvaluation: string };
          const groups = await waitFor(
            () => api<{ groups: { name: string; rules: Rule[] }[] }>('rules'),
            (g) =>
              g.groups
                .find((x) => x.name === 'servicecenter-pipeline')
                ?.rules.every((r) => !r.lastEvaluation.startsWith('0001')) ?? false,
            what('the servicecenter-pipeline rules evaluated'),
          );
          const pipeline = groups.groups.find((x) => x.name === 'servicecenter-pipeline')!;
          expect(pipeline.rules.length).toBeGreaterThanOrEqual(10);
          expect(pipeline.rules.filter((r) => r.health !== 'ok')).toEqual([]);

          // The series reached Prometheus with their service label.
          const published = await api<{ result: { metric: { service: string } }[] }>(
            `query?query=${encodeURIComponent('servicecenter_outbox_published_events_total > 0')}`,
          );
          expect(published.result.map((r) => r.metric.service)).toContain('requests');
        } finally {
          if (child && child.exitCode === null) {
            const exited = new Promise((resolve) => child!.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        }
      },
      150_000,
    );
  });
});
