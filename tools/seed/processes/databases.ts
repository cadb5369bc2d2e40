import pg from 'pg';
import { SUBGRAPHS, type SubgraphName } from '@servicecenter/platform-config';
import { databaseNameFor, ensureDatabase, withDatabase } from '@servicecenter/platform-database';

/** The seed's database of a service: `<prefix><service>` (else `servicecenter_<service>`), created when missing. */
export const seedDatabaseName = (service: SubgraphName, prefix?: string) =>
  prefix ? `${prefix}${service.replace(/-/g, '_')}` : databaseNameFor(service);

/**
 * Its URL on `server`; with `asyncCommit` the services' sessions commit without waiting for
 * the WAL flush (`synchronous_commit=off`: every transaction stays atomic, a server crash may
 * lose the last moments).
 */
export async function seedDatabaseUrl(
  server: string,
  service: SubgraphName,
  prefix: string | undefined,
  asyncCommit: boolean,
): Promise<string> {
  const name = seedDatabaseName(service, prefix);
  await ensureDatabase(server, name);
  const url = new URL(withDatabase(server, name));
  if (asyncCommit) url.searchParams.set('options', '-c synchronous_commit=off');
  return url.toString();
}

/** pg_database_size of each service's database, MB. */
export async function databaseSizes(server: string, prefix?: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    const names = SUBGRAPHS.map((s) => seedDatabaseName(s, prefix));
    const { rows } = await client.query<{ datname: string; mb: string }>(
      'SELECT datname, round(pg_database_size(datname) / 1048576.0) AS mb FROM pg_database WHERE datname = ANY($1)',
      [names],
    );
    return Object.fromEntries(rows.map((r) => [r.datname, Number(r.mb)]));
  } finally {
    await client.end();
  }
}
