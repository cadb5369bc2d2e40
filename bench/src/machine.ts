import { cpus, totalmem, platform, release } from 'node:os';
import { Client } from 'pg';

export interface Machine {
  cpuModel: string;
  cores: number;
  ramGb: number;
  os: string;
  node: string;
  postgres: string;
  events: string;
  /** 1-minute load average when the bench started: other work on the machine skews figures. */
  loadAverage: number;
}

export async function describeMachine(databaseUrl: string, kafkaBrokers: string | undefined): Promise<Machine> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    const { loadavg } = await import('node:os');
    return {
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      cores: cpus().length,
      ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      os: `${platform()} ${release()}`,
      node: process.version,
      postgres: `PostgreSQL ${rows[0].server_version}`,
      events: kafkaBrokers ? `in-process and Kafka (${kafkaBrokers})` : 'in-process (KAFKA_BROKERS not set)',
      loadAverage: Math.round(loadavg()[0] * 100) / 100,
    };
  } finally {
    await client.end();
  }
}
