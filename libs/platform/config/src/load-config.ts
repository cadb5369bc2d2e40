import { z } from 'zod';

export interface ConfigIssue {
  variable: string;
  problem: string;
}

/** Raised once with every bad or missing variable, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.variable}: ${i.problem}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses the environment with a zod object whose keys are variable names. Empty strings
 * count as unset, the way shells and compose files usually mean them.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const cleaned: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    cleaned[key] = value === undefined || value.trim() === '' ? undefined : value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(environment)'),
      problem: issue.message,
    })),
  );
}

/**
 * Runs several loaders and reports the problems of all of them together (the all-in-one
 * runner loads one config per service from the same environment).
 */
export function loadAll<T extends Record<string, () => unknown>>(loaders: T): { [K in keyof T]: ReturnType<T[K]> } {
  const out: Record<string, unknown> = {};
  const issues = new Map<string, ConfigIssue>();
  for (const [name, load] of Object.entries(loaders)) {
    try {
      out[name] = load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const issue of error.issues) issues.set(`${issue.variable}:${issue.problem}`, issue);
    }
  }
  if (issues.size > 0) throw new ConfigError([...issues.values()]);
  return out as { [K in keyof T]: ReturnType<T[K]> };
}

/** For main.ts files: print the one error and exit 1 instead of a stack trace. */
export function orExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
