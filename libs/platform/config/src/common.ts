import { z } from 'zod';
import { loadConfig } from './load-config';

/** Reusable variable parsers with messages an operator understands. */
export const env = {
  port: (fallback: number) =>
    z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 65535')
      .max(65535, 'must be between 1 and 65535')
      .default(fallback),
  postgresUrl: () =>
    z
      .string()
      .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), 'must be a postgres:// or postgresql:// URL')
      .optional(),
  url: () => z.url({ message: 'must be an absolute URL' }),
  brokers: () =>
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean),
      )
      .refine(
        (list) => list.length > 0 && list.every((b) => /^[^\s:]+:\d+$/.test(b)),
        'must be host:port[,host:port...]',
      )
      .optional(),
  /** Milliseconds, 0 meaning "no limit". */
  millisOrZero: (fallback: number) =>
    z.coerce
      .number({ message: 'must be a number of milliseconds' })
      .int('must be a whole number')
      .min(0, 'must be 0 (no limit) or more')
      .default(fallback),
  positiveInt: (fallback: number) =>
    z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .positive('must be positive')
      .default(fallback),
  nodeEnv: () =>
    z
      .enum(['development', 'test', 'production'], { message: 'must be development, test or production' })
      .default('development'),
  logLevel: () =>
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be a pino level (info, debug, ...)',
      })
      .default('info'),
  secret: (minLength = 16) => z.string().min(minLength, `must be at least ${minLength} characters`).optional(),
};

/** The names of the five subgraphs, in the order the graph is composed. */
export const SUBGRAPHS = ['requests', 'sla', 'escalations', 'reporting', 'release-testing'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

export const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  requests: 4001,
  sla: 4002,
  escalations: 4003,
  reporting: 4004,
  'release-testing': 4005,
};

/** REQUESTS, SLA, ..., RELEASE_TESTING: the prefix of a service's own variables. */
export const envPrefix = (service: string) => service.toUpperCase().replace(/-/g, '_');

/**
 * Variables every subgraph reads. Keys are built from the service name so that all services
 * can be configured from one environment (the all-in-one runner, docker-compose).
 */
export function subgraphConfigSchema(service: SubgraphName) {
  const p = envPrefix(service);
  return z.object({
    NODE_ENV: env.nodeEnv(),
    LOG_LEVEL: env.logLevel(),
    [`${p}_PORT`]: env.port(DEFAULT_PORTS[service]),
    [`${p}_DATABASE_URL`]: env.postgresUrl(),
    DATABASE_URL: env.postgresUrl(),
    DATABASE_POOL_SIZE: env.positiveInt(10),
    // Time limits of every pooled session (docs/architecture.md, "Connections"); 0: no limit.
    DATABASE_ACQUIRE_TIMEOUT_MS: env.millisOrZero(10_000),
    DATABASE_STATEMENT_TIMEOUT_MS: env.millisOrZero(30_000),
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: env.millisOrZero(60_000),
    KAFKA_BROKERS: env.brokers(),
    // How long the broker may hold a consumer's fetch that finds nothing (docs/performance.md, change 12).
    KAFKA_CONSUMER_MAX_WAIT_MS: env.positiveInt(100),
    SUBGRAPH_SHARED_SECRET: env.secret(),
    EVENT_MAX_ATTEMPTS: env.positiveInt(5),
    OUTBOX_POLL_MS: env.positiveInt(250),
    // NOTIFY on every outbox insert and LISTEN in the relay: commits in other processes reach
    // this relay without waiting for its poll (docs/performance.md, "Event latency").
    OUTBOX_NOTIFY: z.enum(['on', 'off'], { message: 'must be on or off' }).default('off'),
    // Published outbox rows are deleted after this many hours (0: kept for ever).
    OUTBOX_RETENTION_HOURS: z.coerce
      .number({ message: 'must be a number of hours' })
      .min(0, 'must be 0 or more')
      .default(168),
    TIMER_POLL_MS: env.positiveInt(1000),
    TIMER_MAX_ATTEMPTS: env.positiveInt(10),
    // Apollo inline traces (ftv1) for a gateway that asks for them; off: no Studio here (docs/performance.md).
    SUBGRAPH_INLINE_TRACING: z.enum(['on', 'off'], { message: 'must be on or off' }).default('off'),
  });
}

export interface SubgraphConfig {
  service: SubgraphName;
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  port: number;
  /** The service's own database URL, or undefined to derive one from DATABASE_URL / embedded. */
  databaseUrl?: string;
  /** A server URL from which `servicecenter_<service>` is derived. */
  serverUrl?: string;
  poolSize: number;
  /** Wait for a free pooled connection (ms, 0: for ever). */
  acquireTimeoutMs: number;
  /** PostgreSQL statement_timeout of every pooled session (ms, 0: none). */
  statementTimeoutMs: number;
  /** PostgreSQL idle_in_transaction_session_timeout of every pooled session (ms, 0: none). */
  idleInTransactionTimeoutMs: number;
  kafkaBrokers?: string[];
  /** Kafka consumers' fetch wait when nothing is there (ms). */
  kafkaConsumerMaxWaitMs: number;
  sharedSecret?: string;
  eventMaxAttempts: number;
  outboxPollMs: number;
  /** NOTIFY on outbox inserts and LISTEN in the relay (separate processes); off by default. */
  outboxNotify: boolean;
  /** Published outbox rows older than this are deleted (0: kept for ever). */
  outboxRetentionMs: number;
  /** How often the durable timers are scanned for due ones. */
  timerPollMs: number;
  /** Failed firings after which a timer is kept as dead instead of retried. */
  timerMaxAttempts: number;
  /** Answer a gateway's request for inline traces (ftv1); off by default, see docs/performance.md. */
  inlineTracing: boolean;
  /** The variables the config was read from, for a service's own settings. */
  source: Record<string, string | undefined>;
}

export function loadSubgraphConfig(
  service: SubgraphName,
  source: Record<string, string | undefined> = process.env,
): SubgraphConfig {
  const p = envPrefix(service);
  const raw = loadConfig(subgraphConfigSchema(service), source) as Record<string, never>;
  return {
    service,
    nodeEnv: raw.NODE_ENV,
    logLevel: raw.LOG_LEVEL,
    port: raw[`${p}_PORT`],
    databaseUrl: raw[`${p}_DATABASE_URL`],
    serverUrl: raw.DATABASE_URL,
    poolSize: raw.DATABASE_POOL_SIZE,
    acquireTimeoutMs: raw.DATABASE_ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: raw.DATABASE_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: raw.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    kafkaBrokers: raw.KAFKA_BROKERS,
    kafkaConsumerMaxWaitMs: raw.KAFKA_CONSUMER_MAX_WAIT_MS,
    sharedSecret: raw.SUBGRAPH_SHARED_SECRET,
    eventMaxAttempts: raw.EVENT_MAX_ATTEMPTS,
    outboxPollMs: raw.OUTBOX_POLL_MS,
    outboxNotify: raw.OUTBOX_NOTIFY === 'on',
    outboxRetentionMs: Math.round(Number(raw.OUTBOX_RETENTION_HOURS) * 3_600_000),
    source,
    timerPollMs: raw.TIMER_POLL_MS,
    timerMaxAttempts: raw.TIMER_MAX_ATTEMPTS,
    inlineTracing: raw.SUBGRAPH_INLINE_TRACING === 'on',
  };
}
