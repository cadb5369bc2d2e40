import { DEV_JWT_SECRET } from '@servicecenter/auth';
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
});
