import {
  OutcomeUnknownError,
  RolledBackByConnectionLossError,
  classifyInfrastructureFailure,
  isRetryableForClient,
  isTransientForEventConsumer,
} from './infrastructure';

/** As node-postgres raises it, and as TypeORM wraps it (QueryFailedError.driverError). */
const pgError = (code: string, message = `SQLSTATE ${code}`) => Object.assign(new Error(message), { code });
const wrapped = (code: string) => Object.assign(new Error('query failed'), { driverError: pgError(code) });

describe('which failures a client may retry', () => {
  it('is retryable where the same call can succeed and nothing was written', () => {
    // serialization failure, deadlock, lock not available, statement timeout, shutdowns,
    // cannot connect now, too many connections, could not connect.
    for (const code of ['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '53300', '08001', '08004']) {
      expect([code, isRetryableForClient(pgError(code))]).toEqual([code, true]);
      expect([code, isRetryableForClient(wrapped(code))]).toEqual([code, true]);
    }
    expect(isRetryableForClient(new Error('timeout exceeded when trying to connect'))).toBe(true); // pool acquire
    expect(isRetryableForClient(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRetryableForClient(new RolledBackByConnectionLossError(new Error('Connection terminated')))).toBe(true);
  });

  it('is not retryable for a protocol violation (08P01: e.g. 70,000 bind parameters) or other SQLSTATEs', () => {
    const protocolViolation = pgError('08P01', 'bind message has 4464 parameter formats but 0 parameters');
    expect(isRetryableForClient(protocolViolation)).toBe(false);
    expect(classifyInfrastructureFailure(protocolViolation)).toBe('permanent');
    for (const code of ['23505', '22P02', '42P01', '54000', '53100', '57000']) {
      expect([code, isRetryableForClient(wrapped(code))]).toEqual([code, false]);
    }
    expect(isRetryableForClient(new Error('boom'))).toBe(false);
  });

  it('calls a connection lost under a statement "connection lost", and after a COMMIT was sent "outcome unknown"', () => {
    expect(classifyInfrastructureFailure(new Error('Connection terminated unexpectedly'))).toBe('connection-lost');
    expect(classifyInfrastructureFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(
      'connection-lost',
    );
    expect(classifyInfrastructureFailure(pgError('08006'))).toBe('connection-lost');
    expect(isRetryableForClient(new Error('Connection terminated unexpectedly'))).toBe(false);
    const unknown = new OutcomeUnknownError('lost while committing', new Error('Connection terminated unexpectedly'));
    expect(classifyInfrastructureFailure(unknown)).toBe('outcome-unknown');
    expect(isRetryableForClient(unknown)).toBe(false);
  });
});

describe('which failures an event consumer retries without counting', () => {
  it('retries every infrastructure failure, the lost connection included (the inbox makes a repeat harmless)', () => {
    for (const error of [
      pgError('40P01'),
      wrapped('57014'),
      pgError('08006'),
      pgError('57000'),
      pgError('53100'),
      new Error('Connection terminated unexpectedly'),
      new OutcomeUnknownError('lost while committing'),
    ]) {
      expect(isTransientForEventConsumer(error)).toBe(true);
    }
  });

  it('counts failures the event itself causes: a protocol violation, a constraint, a bug', () => {
    for (const error of [pgError('08P01'), wrapped('23505'), new Error('boom')]) {
      expect(isTransientForEventConsumer(error)).toBe(false);
    }
  });
});
