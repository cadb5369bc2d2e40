import { z } from 'zod';
import { DEFAULT_PORTS, SUBGRAPHS, env, envPrefix, loadConfig } from '@servicecenter/platform-config';
import { jwtEnv, jwtVerifierOptions, type JwtVerifierOptions } from '@servicecenter/platform-auth';
import { loadMetricsSettings, type MetricsSettings } from '@servicecenter/platform-metrics';
import type { OperationLimits } from './limits';
import type { CallerBudgetOptions } from './rate-limit';

/** Defaults: every end-to-end spec, the seed and the bench stay within them (docs/limits.md). */
export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 3_000,
  maxOperations: 1,
  maxCost: 3_000,
};
export const DEFAULT_RATE_LIMIT: CallerBudgetOptions = { points: 200_000, windowSeconds: 60 };

const schema = z
  .object({
    NODE_ENV: env.nodeEnv(),
    LOG_LEVEL: env.logLevel(),
    GATEWAY_PORT: env.port(DEFAULT_PORTS.gateway),
    ...jwtEnv,
    SUBGRAPH_SHARED_SECRET: env.secret(),
    SUPERGRAPH_FILE: z.string().optional(),
    GATEWAY_MAX_DEPTH: env.positiveInt(DEFAULT_LIMITS.maxDepth),
    GATEWAY_MAX_ALIASES: env.positiveInt(DEFAULT_LIMITS.maxAliases),
    GATEWAY_MAX_DIRECTIVES: env.positiveInt(DEFAULT_LIMITS.maxDirectives),
    GATEWAY_MAX_TOKENS: env.positiveInt(DEFAULT_LIMITS.maxTokens),
    GATEWAY_MAX_OPERATIONS: env.positiveInt(DEFAULT_LIMITS.maxOperations),
    GATEWAY_MAX_COST: env.positiveInt(DEFAULT_LIMITS.maxCost),
    GATEWAY_RATE_LIMIT_POINTS: env.positiveInt(DEFAULT_RATE_LIMIT.points),
    GATEWAY_RATE_LIMIT_WINDOW: env.positiveInt(DEFAULT_RATE_LIMIT.windowSeconds),
    ...Object.fromEntries(SUBGRAPHS.map((s) => [`${envPrefix(s)}_URL`, env.url().optional()])),
  })
  .superRefine((v, ctx) => {
    if (v.GATEWAY_RATE_LIMIT_POINTS < v.GATEWAY_MAX_COST) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_RATE_LIMIT_POINTS'],
        message: `must be at least GATEWAY_MAX_COST (${v.GATEWAY_MAX_COST}), or the costliest allowed operation could never run`,
      });
    }
    if (v.NODE_ENV === 'production' && !v.JWT_SECRET && !v.JWT_JWKS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_JWKS_URL'],
        message: 'production needs JWT_JWKS_URL (or JWT_SECRET): the development secret is refused',
      });
    }
    if (v.NODE_ENV === 'production' && !v.SUBGRAPH_SHARED_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SUBGRAPH_SHARED_SECRET'],
        message: 'production needs it, so subgraphs refuse calls that bypass the gateway',
      });
    }
  });

export interface GatewayConfig {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  port: number;
  jwt: JwtVerifierOptions;
  sharedSecret?: string;
  supergraphFile?: string;
  /** Per-operation limits (docs/limits.md). */
  limits: OperationLimits;
  /** The budget per caller and window, charged with each operation's cost. */
  rateLimit: CallerBudgetOptions;
  /** Overrides of the routing URLs in the supergraph (docker-compose, production). */
  subgraphUrls: Record<string, string>;
  /** How /metrics is guarded (METRICS_TOKEN; docs/operations.md); open when absent. */
  metrics?: MetricsSettings;
}

export function loadGatewayConfig(source: Record<string, string | undefined> = process.env): GatewayConfig {
  const raw = loadConfig(schema, source) as Record<string, never> & z.infer<typeof schema>;
  const subgraphUrls: Record<string, string> = {};
  for (const s of SUBGRAPHS) {
    const url = raw[`${envPrefix(s)}_URL`] as string | undefined;
    if (url) subgraphUrls[s] = url;
  }
  return {
    nodeEnv: raw.NODE_ENV,
    logLevel: raw.LOG_LEVEL,
    port: raw.GATEWAY_PORT,
    // Production without JWT_SECRET or JWT_JWKS_URL was refused above.
    jwt: jwtVerifierOptions(raw, true),
    sharedSecret: raw.SUBGRAPH_SHARED_SECRET,
    supergraphFile: raw.SUPERGRAPH_FILE,
    limits: {
      maxDepth: raw.GATEWAY_MAX_DEPTH,
      maxAliases: raw.GATEWAY_MAX_ALIASES,
      maxDirectives: raw.GATEWAY_MAX_DIRECTIVES,
      maxTokens: raw.GATEWAY_MAX_TOKENS,
      maxOperations: raw.GATEWAY_MAX_OPERATIONS,
      maxCost: raw.GATEWAY_MAX_COST,
    },
    rateLimit: { points: raw.GATEWAY_RATE_LIMIT_POINTS, windowSeconds: raw.GATEWAY_RATE_LIMIT_WINDOW },
    subgraphUrls,
    metrics: loadMetricsSettings(source),
  };
}
