import pino from 'pino';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { openDataSource } from '@servicecenter/platform-database';
import {
  EventsOutboxInbox1764000000000,
  OutboxPendingTable1764000000005,
  OutboxTextRows1764000000006,
  InboxEntity,
  OutboxEntity,
  OutboxWriter,
  UnitOfWork,
} from '@servicecenter/platform-events';
import { defineEvent } from '@servicecenter/contracts';
import { createTestDatabase, TestClock, type TestDatabase } from '@servicecenter/testing';
import { DurableTimers1764000000001, TimerEntity, TimerService, TimerStore, type TimerServiceOptions } from './index';

/** Spec support, not exported: a database with the timer table and services on it. */

export const ReminderSent = defineEvent({
  type: 'servicecenter.test.reminder-sent.v1',
  topic: 'test.timers',
  description: 'test',
  schema: z.object({ key: z.string() }),
});

export interface LogLine {
  level: number;
  msg: string;
  kind?: string;
  attempts?: number;
}

export interface TimerHarness {
  clock: TestClock;
  /** A separate pool per call: a "replica" or a restarted process. */
  connect(): Promise<DataSource>;
  service(dataSource: DataSource, options?: Partial<TimerServiceOptions>): { timers: TimerService; logs: LogLine[] };
  schedule(dataSource: DataSource, kind: string, key: string, dueInMs: number, payload?: unknown): Promise<void>;
  /** Rows the handlers wrote in the firing transaction. */
  effects(dataSource: DataSource): Promise<{ kind: string; key: string; note: string | null }[]>;
  close(): Promise<void>;
}

export async function openTimerHarness(label: string): Promise<TimerHarness> {
  const db: TestDatabase = await createTestDatabase(label);
  const clock = new TestClock();
  const pools: DataSource[] = [];
  const connect = async () => {
    const ds = await openDataSource({
      url: db.url,
      entities: [OutboxEntity, InboxEntity, TimerEntity],
      migrations: [
        EventsOutboxInbox1764000000000,
        DurableTimers1764000000001,
        OutboxPendingTable1764000000005,
        OutboxTextRows1764000000006,
      ],
      applicationName: 'timers-spec',
      poolSize: 5,
    });
    pools.push(ds);
    return ds;
  };
  const first = await connect();
  // No unique constraint: a double firing must show up as a second row.
  await first.query(`CREATE TABLE effect (kind text NOT NULL, key text NOT NULL, note text)`);
  return {
    clock,
    connect,
    service(dataSource, options = {}) {
      const logs: LogLine[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line)) });
      const uow = new UnitOfWork(dataSource, new OutboxWriter('/servicecenter/test', clock.now));
      const timers = new TimerService({
        dataSource,
        uow,
        clock: clock.now,
        logger,
        actor: 'system:test',
        pollMs: 20,
        ...options,
      });
      return { timers, logs };
    },
    async schedule(dataSource, kind, key, dueInMs, payload) {
      await dataSource.transaction((m) =>
        new TimerStore(m).schedule({ kind, key, dueAt: new Date(clock.now().getTime() + dueInMs), payload }),
      );
    },
    effects: (dataSource) => dataSource.query(`SELECT kind, key, note FROM effect ORDER BY kind, key, note`),
    async close() {
      for (const ds of pools) if (ds.isInitialized) await ds.destroy();
      await db.drop();
    },
  };
}
