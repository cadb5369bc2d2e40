import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { SUBGRAPHS, type SubgraphName } from '@servicecenter/platform-config';
import { databaseNameFor, ensureDatabase, withDatabase } from '@servicecenter/platform-database';
import { cpuMsOfProcess } from '@servicecenter/testing';

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

/**
 * CPU seconds (user + system) of the PostgreSQL backends now connected to each of the seed's
 * databases, read from /proc (Linux, same machine; pooled connections live as long as the
 * services, so this is nearly all the server's work for them), to a tenth of a second (the
 * figures of a 10,000-request run are a few seconds each). Empty where /proc is not readable.
 */
export function postgresCpuSeconds(prefix?: string): Record<string, number> {
  const names = SUBGRAPHS.map((s) => seedDatabaseName(s, prefix));
  const cpu: Record<string, number> = {};
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return cpu;
  }
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith('postgres:')) continue;
      const name = names.find((n) => cmd.includes(` ${n} `));
      if (!name) continue;
      const ms = cpuMsOfProcess(Number(pid));
      if (Number.isFinite(ms)) cpu[name] = (cpu[name] ?? 0) + ms / 1000;
    } catch {
      // the backend ended meanwhile
    }
  }
  return Object.fromEntries(Object.entries(cpu).map(([n, s]) => [n, Math.round(s * 10) / 10]));
}
