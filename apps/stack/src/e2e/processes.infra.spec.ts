import { Client } from 'pg';
import { DEV_JWT_SECRET } from '@servicecenter/platform-auth';
import {
  GraphClient,
  createTestDatabase,
  describeWithKafka,
  kafkaBrokers,
  waitFor,
  type TestDatabase,
} from '@servicecenter/testing';
import { freePort } from '@servicecenter/platform-database';
import { kafkaScript, startServiceProcess, type ServiceProcess } from '../testing/processes';

const N = 30;
const SECRET = 'infra-test-shared-secret-0123456789';

/**
 * The production shape: every service its own OS process on the machine's PostgreSQL and
 * the Kafka broker. Mid-stream the sla process is killed (SIGKILL) and the broker is
 * restarted; afterwards every registration must have been applied by sla exactly once.
 */
describeWithKafka('services as separate processes on PostgreSQL and Kafka', () => {
  const processes: ServiceProcess[] = [];
  const databases: TestDatabase[] = [];
  let requestsDb: TestDatabase;
  let slaDb: TestDatabase;
  let env: Record<string, string>;
  let client: GraphClient;
  let slaPort: number;

  beforeAll(async () => {
    requestsDb = await createTestDatabase('infra_requests');
    slaDb = await createTestDatabase('infra_sla');
    databases.push(requestsDb, slaDb);
    const [requestsPort, gatewayPort] = [await freePort(), await freePort()];
    slaPort = await freePort();
    env = {
      // Production mode, as deployed: signed caller headers, masked errors, own signal handling.
      NODE_ENV: 'production',
      JWT_SECRET: DEV_JWT_SECRET,
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: (kafkaBrokers() ?? []).join(','),
      SUBGRAPH_SHARED_SECRET: SECRET,
      REQUESTS_PORT: String(requestsPort),
      REQUESTS_DATABASE_URL: requestsDb.url,
      SLA_PORT: String(slaPort),
      SLA_DATABASE_URL: slaDb.url,
      OUTBOX_POLL_MS: '100',
    };
    const [requests, sla] = await Promise.all([
      startServiceProcess('requests', requestsPort, env),
      startServiceProcess('sla', slaPort, env),
    ]);
    processes.push(requests, sla);
    const gateway = await startServiceProcess('gateway', gatewayPort, {
      ...env,
      GATEWAY_PORT: String(gatewayPort),
      REQUESTS_URL: `http://127.0.0.1:${requestsPort}/graphql`,
      SLA_URL: `http://127.0.0.1:${slaPort}/graphql`,
    });
    processes.push(gateway);
    client = new GraphClient(`http://127.0.0.1:${gatewayPort}/graphql`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    for (const db of databases) await db.drop().catch(() => undefined);
  }, 60_000);

  it('applies every one of N events exactly once across a crash of the consumer and a broker restart', async () => {
    const token = await client.token('customer', { customerId: 'infra-co' });
    const ids: string[] = [];
    const register = async (i: number) => {
      const data = await client.ok<{ registerRequest: { request: { id: string } } }>(
        `mutation($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id } } }`,
        {
          input: { type: 'INCIDENT', title: `Infra request ${i}`, description: 'stream', requestedPriority: 'MEDIUM' },
        },
        token,
      );
      ids.push(data.registerRequest.request.id);
    };

    for (let i = 0; i < 10; i++) await register(i);
    // The consumer crashes mid-stream, with events possibly half-applied or uncommitted.
    const sla = processes.find((p) => p.name === 'sla') as ServiceProcess;
    await sla.kill();
    for (let i = 10; i < 15; i++) await register(i);
    // The broker goes away and comes back while the producer keeps writing its outbox.
    await kafkaScript('stop.sh');
    for (let i = 15; i < 20; i++) await register(i);
    await kafkaScript('start.sh');
    for (let i = 20; i < 25; i++) await register(i);
    processes.splice(processes.indexOf(sla), 1, await startServiceProcess('sla', slaPort, env));
    for (let i = 25; i < N; i++) await register(i);

    // Visible through the gateway: every request has its SLA (two subgraphs, one query).
    const query = `{ ${ids.map((id, i) => `r${i}: request(id: "${id}") { id sla { timeline { kind } } }`).join(' ')} }`;
    const data = await waitFor(
      () => client.ok<Record<string, { sla: { timeline: { kind: string }[] } | null }>>(query, {}, token),
      (d) => Object.values(d).every((r) => (r.sla?.timeline.length ?? 0) >= 2),
      { timeoutMs: 90_000, intervalMs: 500, what: 'all SLA records' },
    );
    // Each registration is incomplete (no product, no evidence), so it goes back to the
    // customer at once: two events per request, each applied once (started, then paused).
    expect(Object.values(data).map((r) => r.sla?.timeline.map((e) => e.kind))).toEqual(
      Array(N).fill(['STARTED', 'PAUSED']),
    );

    // And in the SLA database: one effect and one inbox row per event, never two.
    const pg = new Client({ connectionString: slaDb.url });
    await pg.connect();
    try {
      const { rows: effects } = await pg.query(
        `SELECT count(*)::int AS entries, count(DISTINCT request_id)::int AS requests FROM sla_timeline_entry WHERE request_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(effects[0]).toEqual({ entries: 2 * N, requests: N });
      const { rows: inbox } = await pg.query(
        `SELECT event_type, count(*)::int AS n FROM inbox WHERE event_type LIKE 'servicecenter.request.%' GROUP BY event_type ORDER BY event_type`,
      );
      expect(inbox).toEqual(
        expect.arrayContaining([
          { event_type: 'servicecenter.request.registered.v1', n: N },
          { event_type: 'servicecenter.request.returned-to-customer.v1', n: N },
        ]),
      );
    } finally {
      await pg.end();
    }
  }, 240_000);

  it('refuses calls that bypass the gateway', async () => {
    const response = await fetch(`http://127.0.0.1:${slaPort}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-caller': Buffer.from(JSON.stringify({ id: 'x', roles: ['admin'] })).toString('base64url'),
      },
      body: JSON.stringify({ query: '{ slaStatus { service } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('stops cleanly on SIGTERM (drains, closes the database, exits 0)', async () => {
    const requests = processes.find((p) => p.name === 'requests') as ServiceProcess;
    await requests.stop();
    expect(requests.child.exitCode).toBe(0);
  });
});
