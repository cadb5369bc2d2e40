import { ConfigError, loadAll } from './load-config';
import { loadSubgraphConfig } from './common';

describe('configuration', () => {
  it('names every bad or missing variable in one error', () => {
    const env = {
      SLA_PORT: 'eighty',
      DATABASE_URL: 'mysql://nope',
      KAFKA_BROKERS: 'localhost',
      NODE_ENV: 'staging',
      EVENT_MAX_ATTEMPTS: '-2',
      SUBGRAPH_SHARED_SECRET: 'short',
    };
    let error: unknown;
    try {
      loadSubgraphConfig('sla', env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(variables).toEqual([
      'DATABASE_URL',
      'EVENT_MAX_ATTEMPTS',
      'KAFKA_BROKERS',
      'NODE_ENV',
      'SLA_PORT',
      'SUBGRAPH_SHARED_SECRET',
    ]);
    expect((error as ConfigError).message).toContain('SLA_PORT: must be a port number');
    expect((error as ConfigError).message).toContain('6 problems');
  });

  it('applies defaults and parses lists', () => {
    const config = loadSubgraphConfig('release-testing', {
      KAFKA_BROKERS: 'a:9092, b:9092',
      RELEASE_TESTING_PORT: '5005',
    });
    expect(config).toMatchObject({
      port: 5005,
      kafkaBrokers: ['a:9092', 'b:9092'],
      nodeEnv: 'development',
      eventMaxAttempts: 5,
    });
  });

  it('keeps inline tracing (ftv1) off unless SUBGRAPH_INLINE_TRACING=on', () => {
    expect(loadSubgraphConfig('sla', {}).inlineTracing).toBe(false);
    expect(loadSubgraphConfig('sla', { SUBGRAPH_INLINE_TRACING: 'on' }).inlineTracing).toBe(true);
    expect(() => loadSubgraphConfig('sla', { SUBGRAPH_INLINE_TRACING: 'yes' })).toThrow(
      'SUBGRAPH_INLINE_TRACING: must be on or off',
    );
  });

  it('limits every pooled session by default; 0 turns a limit off, a negative or fractional one is refused', () => {
    expect(loadSubgraphConfig('sla', {})).toMatchObject({
      acquireTimeoutMs: 10_000,
      statementTimeoutMs: 30_000,
      idleInTransactionTimeoutMs: 60_000,
    });
    expect(
      loadSubgraphConfig('sla', { DATABASE_STATEMENT_TIMEOUT_MS: '0', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0' }),
    ).toMatchObject({ statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 });
    expect(() =>
      loadSubgraphConfig('sla', { DATABASE_STATEMENT_TIMEOUT_MS: '-1', DATABASE_ACQUIRE_TIMEOUT_MS: '1.5' }),
    ).toThrow(/DATABASE_ACQUIRE_TIMEOUT_MS: must be a whole number[\s\S]*DATABASE_STATEMENT_TIMEOUT_MS: must be 0/);
  });

  it('treats empty strings as unset', () => {
    expect(loadSubgraphConfig('sla', { SLA_PORT: '', DATABASE_URL: '  ' })).toMatchObject({
      port: 4002,
      serverUrl: undefined,
    });
  });

  it('reports the problems of several services together, once each', () => {
    const env = { NODE_ENV: 'weird', SLA_PORT: '0' };
    expect(() =>
      loadAll({ sla: () => loadSubgraphConfig('sla', env), requests: () => loadSubgraphConfig('requests', env) }),
    ).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ variable: 'NODE_ENV' }), expect.objectContaining({ variable: 'SLA_PORT' })],
      }),
    );
  });
});
