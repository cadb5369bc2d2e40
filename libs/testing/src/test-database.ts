import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase, withDatabase } from '@servicecenter/platform-database';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run tests through jest (its global setup starts PostgreSQL)');
  return url;
}

/** A fresh database per suite (and per service), so suites never see each other's rows. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `sctest_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`.slice(
    0,
    63,
  );
  const server = testServerUrl();
  await ensureDatabase(server, name);
  return { url: withDatabase(server, name), name, drop: () => dropDatabase(server, name) };
}
