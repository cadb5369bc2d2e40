import {
  OutcomeUnknownError,
  RolledBackByConnectionLossError,
  isRetryableForClient,
} from '@servicecenter/platform-errors';
import type { DataSource, EntityManager } from 'typeorm';
import { OutboxWriter, UnitOfWork } from './outbox-writer';

/**
 * A data source whose connection breaks at a chosen moment: while the work runs (before the
 * COMMIT was sent) or in the COMMIT itself, as TypeORM's transaction() reports them.
 */
function breakingDataSource(at: 'work' | 'commit'): DataSource {
  const lost = Object.assign(new Error('Connection terminated unexpectedly'), { code: undefined });
  return {
    transaction: async (work: (manager: EntityManager) => Promise<unknown>) => {
      if (at === 'work') throw lost;
      await work({ query: async () => [] } as unknown as EntityManager);
      throw lost;
    },
  } as unknown as DataSource;
}

describe('unit of work: a database connection lost', () => {
  it('before the COMMIT was sent: rolled back, the client may retry', async () => {
    const uow = new UnitOfWork(breakingDataSource('work'), new OutboxWriter('/test'));
    const error = await uow.run({}, async () => 'done').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RolledBackByConnectionLossError);
    expect(isRetryableForClient(error)).toBe(true);
  });

  it('while committing: the outcome is unknown, never "nothing was changed"', async () => {
    const uow = new UnitOfWork(breakingDataSource('commit'), new OutboxWriter('/test'));
    const error = await uow.run({}, async () => 'done').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(isRetryableForClient(error)).toBe(false);
  });
});
