import { DEV_JWT_SECRET } from '@servicecenter/platform-auth';
import { startTestStack, type TestStack } from '../testing/test-stack';

/** The graph as deployed (NODE_ENV=production): what its errors tell a client, and what they do not. */
describe('errors in production mode', () => {
  let ts: TestStack;
  beforeAll(async () => {
    ts = await startTestStack({
      env: {
        NODE_ENV: 'production',
        JWT_SECRET: DEV_JWT_SECRET,
        SUBGRAPH_SHARED_SECRET: 'production-mode-spec-shared-secret',
      },
    });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('suggests no field names', async () => {
    const token = await ts.client.token('team_lead');
    const answer = await ts.client.request('{ requestQueu(first: 1) { totalCount } }', {}, token);
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(answer.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  it('answers a DateTime variable the subgraph refuses with BAD_USER_INPUT, naming nothing internal', async () => {
    const token = await ts.client.token('team_lead');
    const answer = await ts.client.request(
      'query($input: SlaComplianceInput!) { slaCompliance(input: $input) { requests } }',
      { input: { period: { from: 'yesterday', to: '2026-04-01T00:00:00Z' } } },
      token,
    );
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(answer)).not.toMatch(/localhost|127\.0\.0\.1|\/graphql|serviceName|response|stacktrace/);
  });

  it('passes a subgraph’s FORBIDDEN on with its code and nothing about the subgraph', async () => {
    const customer = await ts.client.token('customer', { customerId: 'acme' });
    const answer = await ts.client.request('{ teams { id } }', {}, customer);
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(answer.errors)).not.toMatch(/localhost|127\.0\.0\.1|serviceName|response|stacktrace/);
  });
});
