import { GraphQLError } from 'graphql';
import {
  DomainError,
  OutcomeUnknownError,
  invalidTransition,
  isRetryableForClient,
} from '@servicecenter/platform-errors';
import { silentLogger } from '@servicecenter/platform-logging';
import { decodeCursor, encodeCursor, pageSize, toConnection } from './connection';
import { createErrorFormatter } from './errors';
import { guardMutations } from './mutation-guard';
import { DateTimeScalar, RefusedValue } from './scalars';

describe('DateTime', () => {
  it('accepts ISO-8601 with an offset and serialises in UTC', () => {
    expect(DateTimeScalar.parseValue('2026-11-23T10:00:00+01:00')).toEqual(new Date('2026-11-23T09:00:00Z'));
    expect(DateTimeScalar.serialize(new Date('2026-11-23T09:00:00Z'))).toBe('2026-11-23T09:00:00.000Z');
  });

  it('refuses a time without a zone, which would be ambiguous (the input rules report it)', () => {
    expect(DateTimeScalar.parseValue('2026-11-23T10:00:00')).toEqual(
      new RefusedValue(expect.stringMatching(/RFC 3339 date-time with an offset/) as never),
    );
  });
});

describe('connections', () => {
  it('pages with an extra row to know whether there is a next page', () => {
    const page = toConnection([{ id: 1 }, { id: 2 }, { id: 3 }], 2, (r) => ({ id: r.id }), false, 10);
    expect(page.nodes).toEqual([{ id: 1 }, { id: 2 }]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(decodeCursor(page.pageInfo.endCursor)).toEqual({ id: 2 });
    expect(page.totalCount).toBe(10);
  });

  it('rejects cursors it did not give out and page sizes out of range', () => {
    expect(() => decodeCursor('%%%')).toThrow(DomainError);
    expect(decodeCursor(encodeCursor(['x', 1]))).toEqual(['x', 1]);
    expect(() => pageSize(101)).toThrow(/first must be between 0 and 100/);
    expect(pageSize(undefined)).toBe(20);
  });
});

describe('error formatting', () => {
  it('gives domain errors their code and details', () => {
    const format = createErrorFormatter(silentLogger, true);
    const formatted = format(
      { message: 'x' },
      new GraphQLError('x', { originalError: invalidTransition('CLOSED', 'ACCEPTED', ['REOPENED']) }),
    );
    expect(formatted.extensions).toEqual({
      code: 'INVALID_TRANSITION',
      from: 'CLOSED',
      to: 'ACCEPTED',
      allowedTransitions: ['REOPENED'],
    });
  });

  it('masks unexpected errors in production', () => {
    const format = createErrorFormatter(silentLogger, true);
    const formatted = format(
      { message: 'relation "secret_table" does not exist' },
      new GraphQLError('x', { originalError: new Error('relation "secret_table" does not exist') }),
    );
    expect(formatted).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('tells the client to retry when the database is busy (pool wait, deadlock), not that it hit a bug', () => {
    const format = createErrorFormatter(silentLogger, true);
    const deadlock = Object.assign(new Error('deadlock detected'), {
      driverError: Object.assign(new Error('deadlock detected'), { code: '40P01' }),
    });
    for (const thrown of [new Error('timeout exceeded when trying to connect'), deadlock]) {
      expect(
        format(
          { message: thrown.message, path: ['respondToSolution'] },
          new GraphQLError('x', { originalError: thrown }),
        ),
      ).toEqual({
        message: 'The service is busy or briefly unavailable; nothing was changed. Try again in a moment.',
        path: ['respondToSolution'],
        locations: undefined,
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
      });
    }
    expect(isRetryableForClient(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    // As the gateway receives it from a subgraph: passed through unchanged.
    const relayed = { message: 'busy', extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
    expect(format(relayed, new GraphQLError('busy', { extensions: relayed.extensions }))).toBe(relayed);
  });

  it('does not tell the client to retry a protocol violation (08P01), which fails the same way every time', () => {
    const format = createErrorFormatter(silentLogger, true);
    const tooManyParameters = Object.assign(new Error('bind message has 4464 parameter formats but 0 parameters'), {
      driverError: Object.assign(new Error('bind message has 4464 parameter formats but 0 parameters'), {
        code: '08P01',
      }),
    });
    expect(
      format({ message: tooManyParameters.message }, new GraphQLError('x', { originalError: tooManyParameters })),
    ).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('answers OUTCOME_UNKNOWN, not "nothing was changed", when a mutation lost its connection mid-statement', async () => {
    const format = createErrorFormatter(silentLogger, true);
    const lost = new Error('Connection terminated unexpectedly');
    const resolvers = guardMutations({
      Mutation: {
        registerRequest: async () => {
          throw lost;
        },
      },
    });
    let thrown: unknown;
    try {
      await (resolvers.Mutation.registerRequest as () => Promise<unknown>)();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OutcomeUnknownError);
    const formatted = format(
      { message: 'x', path: ['registerRequest'] },
      new GraphQLError('x', { originalError: thrown as Error }),
    );
    expect(formatted.extensions).toEqual({ code: 'OUTCOME_UNKNOWN', retryable: false });
    expect(formatted.message).toMatch(/may or may not have been made.*Idempotency-Key/);
    // A read that lost its connection changed nothing: retryable.
    expect(format({ message: 'x', path: ['request'] }, new GraphQLError('x', { originalError: lost }))).toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
    });
  });
});
