import { ConfigError } from '@servicecenter/config';
import { DEV_JWT_SECRET } from '@servicecenter/auth';
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
});
