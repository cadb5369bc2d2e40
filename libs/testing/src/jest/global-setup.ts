import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// jest loads global setup outside its module resolver, so the tsconfig alias is not available here.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { freePort, startEmbeddedPostgres } from '../../../platform/database/src/embedded-postgres';

/**
 * One PostgreSQL for the whole jest run: the one DATABASE_URL names (CI: the machine's),
 * otherwise an embedded one on a free port in a temporary folder. Suites create their own
 * databases on it (see createTestDatabase).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const port = await freePort();
  const postgres = await startEmbeddedPostgres({
    dataDir: join(mkdtempSync(join(tmpdir(), 'sc-test-pg-')), 'data'),
    port,
    persistent: false,
  });
  process.env.DATABASE_URL = postgres.url;
  (globalThis as { __SC_TEST_POSTGRES__?: typeof postgres }).__SC_TEST_POSTGRES__ = postgres;
}
