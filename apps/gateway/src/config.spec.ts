import { ConfigError } from '@servicecenter/platform-config';
import { DEV_JWT_SECRET } from '@servicecenter/platform-auth';
import { loadGatewayConfig } from './config';

describe('gateway configuration', () => {
  it('refuses production without real secrets, naming each missing one', () => {
    let error: ConfigError | undefined;
    try {
      loadGatewayConfig({ NODE_ENV: 'production' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues.map((i) => i.variable).sort()).toEqual(['JWT_JWKS_URL', 'SUBGRAPH_SHARED_SECRET']);
  });

  it('uses the development secret only outside production, and a JWKS URL when given', () => {
    expect(loadGatewayConfig({}).jwt).toMatchObject({ secret: DEV_JWT_SECRET });
    expect(loadGatewayConfig({ JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json' }).jwt).toMatchObject({
      jwksUrl: 'https://id.example.com/.well-known/jwks.json',
    });
  });

  it('routes subgraphs to the URLs in the environment', () => {
    expect(loadGatewayConfig({ SLA_URL: 'http://sla:4002/graphql' }).subgraphUrls).toEqual({
      sla: 'http://sla:4002/graphql',
    });
  });

  it('reads the limits and the budget, and refuses a budget smaller than the costliest allowed operation', () => {
    expect(loadGatewayConfig({})).toMatchObject({
      limits: { maxDepth: 12, maxAliases: 30, maxDirectives: 20, maxTokens: 3000, maxOperations: 1, maxCost: 3000 },
      rateLimit: { points: 200_000, windowSeconds: 60 },
      jwt: { maxLifetimeSeconds: 86_400, clockSkewSeconds: 60 },
    });
    expect(
      loadGatewayConfig({
        GATEWAY_MAX_ALIASES: '5',
        GATEWAY_RATE_LIMIT_POINTS: '9000',
        JWT_MAX_TOKEN_LIFETIME: '3600',
      }),
    ).toMatchObject({ limits: { maxAliases: 5 }, rateLimit: { points: 9000 }, jwt: { maxLifetimeSeconds: 3600 } });
    let error: ConfigError | undefined;
    try {
      loadGatewayConfig({ GATEWAY_MAX_COST: '5000', GATEWAY_RATE_LIMIT_POINTS: '1000', GATEWAY_MAX_TOKENS: 'many' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues.map((i) => i.variable).sort()).toEqual(['GATEWAY_MAX_TOKENS']);
    try {
      loadGatewayConfig({ GATEWAY_MAX_COST: '5000', GATEWAY_RATE_LIMIT_POINTS: '1000' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues.map((i) => i.variable)).toEqual(['GATEWAY_RATE_LIMIT_POINTS']);
  });
});
