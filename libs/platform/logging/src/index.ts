import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One logger factory so every service logs JSON with the same fields. Pretty output only
 * when a person is watching (TTY, not production).
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production' && process.env.LOG_FORMAT !== 'json';
  return pino({
    name,
    level,
    base: { service: name },
    transport: pretty ? { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } : undefined,
  });
}

/** A logger that drops everything, for tests that only care about behaviour. */
export const silentLogger: Logger = pino({ level: 'silent' });
