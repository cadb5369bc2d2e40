import { DEV_JWT_SECRET } from '@servicecenter/platform-auth';
import { loadReportingSettings } from './settings';

describe('reporting settings', () => {
  it('defaults to Amsterdam time and the development token secret outside production', () => {
    expect(loadReportingSettings({})).toMatchObject({ timeZone: 'Europe/Amsterdam', jwt: { secret: DEV_JWT_SECRET } });
  });

  it('never takes the development secret in production: the review page is off without JWT settings', () => {
    expect(loadReportingSettings({ NODE_ENV: 'production' }).jwt).toBeUndefined();
    expect(loadReportingSettings({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).jwt).toMatchObject({
      secret: 'x'.repeat(32),
    });
    expect(
      loadReportingSettings({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://id.example.com/jwks.json' }).jwt,
    ).toMatchObject({ jwksUrl: 'https://id.example.com/jwks.json', issuer: undefined });
  });

  it('verifies the review page’s tokens with the gateway’s lifetime and clock skew', () => {
    expect(loadReportingSettings({}).jwt).toMatchObject({ maxLifetimeSeconds: 86_400, clockSkewSeconds: 60 });
    expect(loadReportingSettings({ JWT_MAX_TOKEN_LIFETIME: '3600', JWT_CLOCK_SKEW: '5' }).jwt).toMatchObject({
      maxLifetimeSeconds: 3600,
      clockSkewSeconds: 5,
    });
  });
});
