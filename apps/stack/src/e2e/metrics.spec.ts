import { SUBGRAPHS } from '@servicecenter/platform-config';
import { hasSeries, metricsUrlOf, scrape, valueOf, waitFor, type Sample } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import { startTestStack, type TestStack } from '../testing/test-stack';

/**
 * What an operator's Prometheus sees: every service and the gateway answer /metrics without a
 * JWT, each with its own series, and a registration through the gateway moves them.
 */
describe('metrics on /metrics (docs/operations.md)', () => {
  let ts: TestStack;
  const gatewayMetrics = () => scrape(metricsUrlOf(ts.stack.gatewayUrl));
  const serviceMetrics = (service: (typeof SUBGRAPHS)[number]) => scrape(metricsUrlOf(ts.stack.subgraphUrls[service]));

  beforeAll(async () => {
    ts = await startTestStack();
    await createDesk(ts);
  }, 120_000);

  afterAll(async () => {
    await ts?.stop();
  });

  it('serves each service its own series, with the process series, without a token', async () => {
    for (const service of SUBGRAPHS) {
      const samples = await serviceMetrics(service);
      // Only its own service label: services sharing the process do not mix.
      const services = new Set(samples.filter((s) => s.labels.service).map((s) => s.labels.service));
      expect([...services]).toEqual([service]);
      expect(hasSeries(samples, 'servicecenter_outbox_pending_events')).toBe(true);
      expect(hasSeries(samples, 'servicecenter_timers_dead')).toBe(true);
      expect(valueOf(samples, 'servicecenter_db_pool_max_connections')).toBeGreaterThan(0);
      expect(hasSeries(samples, 'servicecenter_process_resident_memory_bytes')).toBe(true);
    }
    const gateway = await gatewayMetrics();
    expect(new Set(gateway.filter((s) => s.labels.service).map((s) => s.labels.service))).toEqual(new Set(['gateway']));
  });

  it('moves registered +1, drains the outbox and counts the consumers applying the event', async () => {
    const token = await tokenFor(ts.client, 'u-acme');
    // The desk's directory events have been applied (createDesk waited): a quiet starting point.
    const before = {
      requests: await serviceMetrics('requests'),
      sla: await serviceMetrics('sla'),
      gateway: await gatewayMetrics(),
    };
    const registered = (s: Sample[]) =>
      valueOf(s, 'servicecenter_requests_registered_total', { type: 'INCIDENT', priority: 'HIGH' });
    const published = (s: Sample[]) => valueOf(s, 'servicecenter_outbox_published_events_total');
    const slaApplied = (s: Sample[]) =>
      valueOf(s, 'servicecenter_consumer_applied_events_total', { group: 'servicecenter.sla' });
    const registrations = (s: Sample[]) =>
      valueOf(s, 'servicecenter_graphql_operation_duration_seconds_count', {
        operation: 'registerRequest',
        operation_type: 'mutation',
        outcome: 'ok',
      });

    await ts.client.ok(
      `mutation Hostile_Name_1($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id } } }`,
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
      token,
    );

    const requests = await waitFor(
      () => serviceMetrics('requests'),
      (s) => published(s) > published(before.requests) && valueOf(s, 'servicecenter_outbox_pending_events') === 0,
      { what: 'the requests outbox published and drained' },
    );
    expect(registered(requests)).toBe(registered(before.requests) + 1);
    expect(valueOf(requests, 'servicecenter_outbox_oldest_pending_age_seconds')).toBe(0);

    const sla = await waitFor(
      () => serviceMetrics('sla'),
      (s) => slaApplied(s) > slaApplied(before.sla),
      { what: 'the sla consumer applying the registration' },
    );
    expect(
      valueOf(sla, 'servicecenter_consumer_apply_duration_seconds_count', { group: 'servicecenter.sla' }),
    ).toBeGreaterThan(
      valueOf(before.sla, 'servicecenter_consumer_apply_duration_seconds_count', { group: 'servicecenter.sla' }),
    );
    expect(valueOf(sla, 'servicecenter_consumer_dead_letters_total')).toBe(0);

    // The gateway counts the operation by its root field, never by the caller's chosen name.
    const gateway = await gatewayMetrics();
    expect(registrations(gateway)).toBe(registrations(before.gateway) + 1);
    expect(gateway.some((s) => Object.values(s.labels).includes('Hostile_Name_1'))).toBe(false);
    expect(
      valueOf(gateway, 'servicecenter_http_request_duration_seconds_count', {
        route: '/graphql',
        method: 'POST',
        status_class: '2xx',
      }),
    ).toBeGreaterThan(0);
  });

  it('collapses what does not parse or validate into operation="unknown" and counts it as a client error', async () => {
    const token = await tokenFor(ts.client, 'u-acme');
    const unknown = (s: Sample[]) =>
      valueOf(s, 'servicecenter_graphql_operation_duration_seconds_count', {
        operation: 'unknown',
        outcome: 'client_error',
      });
    const before = unknown(await gatewayMetrics());
    for (let i = 0; i < 3; i++) {
      const answer = await ts.client.request(`query Made_Up_${i} { noSuchField${i} }`, {}, token);
      expect(answer.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const after = await gatewayMetrics();
    expect(unknown(after)).toBe(before + 3);
    expect(after.some((s) => Object.values(s.labels).some((v) => v.includes('noSuchField')))).toBe(false);
    expect(
      valueOf(after, 'servicecenter_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' }),
    ).toBeGreaterThanOrEqual(3);
  });
});

describe('/metrics guarded by METRICS_TOKEN', () => {
  let ts: TestStack;
  const token = 'metrics-scrape-token-0123456789';

  beforeAll(async () => {
    ts = await startTestStack({ env: { METRICS_TOKEN: token } });
  }, 120_000);

  afterAll(async () => {
    await ts?.stop();
  });

  it('answers every service and the gateway only with the bearer token, and GraphQL as before', async () => {
    const urls = [ts.stack.gatewayUrl, ...Object.values(ts.stack.subgraphUrls)].map(metricsUrlOf);
    for (const url of urls) {
      const refused = await fetch(url);
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain('servicecenter_');
      const samples = await scrape(url, { authorization: `Bearer ${token}` });
      expect(hasSeries(samples, 'servicecenter_process_cpu_seconds_total')).toBe(true);
    }
    // The token guards /metrics only: the graph answers as always.
    const answer = await ts.client.request('{ __typename }');
    expect(answer.status).toBe(200);
  });
});
