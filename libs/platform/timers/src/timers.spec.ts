import type { DataSource } from 'typeorm';
import { event, OUTBOX_ENVELOPE_SQL } from '@servicecenter/platform-events';
import { DAY, HOUR, waitFor } from '@servicecenter/testing';
import { TimerStore, type Timer, type TimerContext } from './index';
import { ReminderSent, openTimerHarness, type TimerHarness } from './timers.fixture';

describe('durable timers', () => {
  let h: TimerHarness;
  let ds: DataSource;

  beforeAll(async () => {
    h = await openTimerHarness('timers');
    ds = await h.connect();
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    await ds.query('TRUNCATE timer, effect, outbox, outbox_pending');
  });

  const find = (kind: string, key: string) => new TimerStore(ds.manager).find(kind, key);
  const get = async (kind: string, key: string) => {
    const timer = await find(kind, key);
    if (!timer) throw new Error(`no timer ${kind}/${key}`);
    return timer;
  };
  const count = async (table: string) => (await ds.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  it('fires when the clock passes the due time, not before, and only once', async () => {
    const seen: { timer: Timer; now: Date }[] = [];
    const { timers } = h.service(ds);
    timers.on<{ n: number }>('test.remind', async (timer, ctx) => {
      seen.push({ timer, now: ctx.now });
      await ctx.manager.query(`INSERT INTO effect VALUES ($1, $2, $3)`, [
        timer.kind,
        timer.key,
        String(timer.payload.n),
      ]);
    });
    await h.schedule(ds, 'test.remind', 'r1', HOUR, { n: 7 });
    const dueAt = new Date(h.clock.now().getTime() + HOUR);

    expect(await timers.runDue()).toBe(0);
    h.clock.advance(HOUR - 1);
    expect(await timers.runDue()).toBe(0);
    h.clock.advance(1);
    expect(await timers.runDue()).toBe(1);
    expect(await timers.runDue()).toBe(0);

    expect(seen).toHaveLength(1);
    expect(seen[0].timer).toMatchObject({ kind: 'test.remind', key: 'r1', dueAt, payload: { n: 7 }, generation: 1 });
    expect(seen[0].now).toEqual(dueAt);
    expect(await h.effects(ds)).toEqual([{ kind: 'test.remind', key: 'r1', note: '7' }]);
    expect(await find('test.remind', 'r1')).toBeUndefined();
  });

  it('scheduling the same kind and key again replaces due time and payload', async () => {
    const payloads: unknown[] = [];
    const { timers } = h.service(ds);
    timers.on('test.close', async (timer) => void payloads.push([timer.payload, timer.generation]));
    await h.schedule(ds, 'test.close', 'c1', HOUR, { v: 1 });
    const before = await find('test.close', 'c1');
    await h.schedule(ds, 'test.close', 'c1', 2 * HOUR, { v: 2 });
    const after = await find('test.close', 'c1');

    expect(await count('timer')).toBe(1);
    expect(after).toMatchObject({ id: before?.id, generation: 2, payload: { v: 2 } });
    h.clock.advance(HOUR);
    expect(await timers.runDue()).toBe(0);
    h.clock.advance(HOUR);
    expect(await timers.runDue()).toBe(1);
    expect(payloads).toEqual([[{ v: 2 }, 2]]);
  });

  it('schedules and cancels with the caller transaction', async () => {
    const rollback = new Error('rolled back');
    await expect(
      ds.transaction(async (m) => {
        await new TimerStore(m).schedule({ kind: 'test.tx', key: 'k', dueAt: h.clock.now() });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await find('test.tx', 'k')).toBeUndefined();

    await h.schedule(ds, 'test.tx', 'k', HOUR);
    await expect(
      ds.transaction(async (m) => {
        expect(await new TimerStore(m).cancel('test.tx', 'k')).toBe(true);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await find('test.tx', 'k')).toBeDefined();

    const { timers } = h.service(ds);
    const fired = jest.fn(async () => undefined);
    timers.on('test.tx', fired);
    expect(await ds.transaction((m) => timers.store(m).cancel('test.tx', 'k'))).toBe(true);
    expect(await ds.transaction((m) => timers.store(m).cancel('test.tx', 'k'))).toBe(false);
    h.clock.advance(DAY);
    expect(await timers.runDue()).toBe(0);
    expect(fired).not.toHaveBeenCalled();
  });

  it('a change that locks its aggregate and then cancels the timer never deadlocks with the firing (lockFirst)', async () => {
    // As in the requests service: a mutation locks the request, then cancels its follow-up
    // timer; the timer's handler locks the same request. Firing must take the two locks in
    // the same order (aggregate, then timer), or the two transactions deadlock.
    await ds.query(`CREATE TABLE IF NOT EXISTS aggregate (id text PRIMARY KEY)`);
    await ds.query(`INSERT INTO aggregate VALUES ('a1') ON CONFLICT DO NOTHING`);
    const lockAggregate = (m: TimerContext['manager'], id: string) =>
      m.query(`SELECT id FROM aggregate WHERE id = $1 FOR UPDATE`, [id]).then(() => undefined);
    const { timers, logs } = h.service(ds);
    timers.on(
      'test.locked',
      async (timer, ctx) => {
        await lockAggregate(ctx.manager, timer.key);
        await ctx.manager.query(`INSERT INTO effect VALUES ($1, $2, 'fired')`, [timer.kind, timer.key]);
      },
      { lockFirst: lockAggregate },
    );
    await h.schedule(ds, 'test.locked', 'a1', HOUR);
    h.clock.advance(HOUR);

    // The change holds the aggregate; the firing starts meanwhile, as from another replica.
    let locked!: () => void;
    let cancel!: () => void;
    const aggregateLocked = new Promise<void>((r) => (locked = r));
    const cancelNow = new Promise<void>((r) => (cancel = r));
    const change = ds.transaction(async (m) => {
      await lockAggregate(m, 'a1');
      locked();
      await cancelNow;
      return new TimerStore(m).cancel('test.locked', 'a1');
    });
    await aggregateLocked;
    const firing = timers.runDue();
    // The firing is now waiting for the aggregate, holding nothing the change needs.
    const waiting = async () =>
      (
        await ds.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      )[0].n as number;
    await waitFor(waiting, (n) => n === 1, { what: 'the firing to wait for the aggregate' });
    cancel();
    expect(await change).toBe(true);

    expect(await firing).toBe(0);
    expect(await h.effects(ds)).toEqual([]);
    expect(logs.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('keeps a timer the handler rescheduled under the same key (the next reminder)', async () => {
    const { timers } = h.service(ds);
    timers.on<{ round: number }>('test.reminder', async (timer, ctx: TimerContext) => {
      await ctx.manager.query(`INSERT INTO effect VALUES ($1, $2, $3)`, [
        timer.kind,
        timer.key,
        `round ${timer.payload.round}`,
      ]);
      if (timer.payload.round < 3) {
        await ctx.timers.schedule({
          kind: timer.kind,
          key: timer.key,
          dueAt: new Date(ctx.now.getTime() + DAY),
          payload: { round: timer.payload.round + 1 },
        });
      }
    });
    await h.schedule(ds, 'test.reminder', 'req-1', HOUR, { round: 1 });

    h.clock.advance(HOUR);
    expect(await timers.runDue()).toBe(1);
    expect(await find('test.reminder', 'req-1')).toMatchObject({
      generation: 2,
      payload: { round: 2 },
      dueAt: new Date(h.clock.now().getTime() + DAY),
    });
    expect(await timers.runDue()).toBe(0);
    h.clock.advance(DAY);
    expect(await timers.runDue()).toBe(1);
    h.clock.advance(DAY);
    expect(await timers.runDue()).toBe(1);
    expect(await find('test.reminder', 'req-1')).toBeUndefined();
    expect((await h.effects(ds)).map((e) => e.note)).toEqual(['round 1', 'round 2', 'round 3']);
  });

  it('commits the events a handler publishes with its effect, correlated to the timer', async () => {
    const { timers } = h.service(ds);
    timers.on('test.notify', async (timer, ctx) => {
      await ctx.manager.query(`INSERT INTO effect VALUES ($1, $2, NULL)`, [timer.kind, timer.key]);
      ctx.publish(event(ReminderSent, timer.key, { key: timer.key }));
    });
    await h.schedule(ds, 'test.notify', 'n1', 0);
    const { id } = await get('test.notify', 'n1');

    expect(await timers.runDue()).toBe(1);
    const rows = await ds.query(`SELECT event_type, message_key, ${OUTBOX_ENVELOPE_SQL} AS envelope FROM outbox`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event_type: ReminderSent.type, message_key: 'n1' });
    expect(rows[0].envelope).toMatchObject({ correlationid: id, actor: 'system:test', data: { key: 'n1' } });
    expect(await count('effect')).toBe(1);
  });

  it('retries a failing handler with backoff and never leaves half its work behind', async () => {
    const { timers, logs } = h.service(ds, { retryBaseMs: 1_000 });
    let calls = 0;
    timers.on('test.flaky', async (timer, ctx) => {
      calls++;
      await ctx.manager.query(`INSERT INTO effect VALUES ($1, $2, $3)`, [timer.kind, timer.key, `call ${calls}`]);
      ctx.publish(event(ReminderSent, timer.key, { key: timer.key }));
      if (calls <= 2) throw new Error(`boom ${calls}`);
    });
    await h.schedule(ds, 'test.flaky', 'f1', 0);
    const dueIn = async () => (await get('test.flaky', 'f1')).dueAt.getTime() - h.clock.now().getTime();

    expect(await timers.runDue()).toBe(0);
    expect(await find('test.flaky', 'f1')).toMatchObject({ attempts: 1, lastError: 'Error: boom 1', deadAt: null });
    expect(await dueIn()).toBeGreaterThanOrEqual(500);
    expect(await dueIn()).toBeLessThanOrEqual(1_000);
    expect(await count('effect')).toBe(0);
    expect(await count('outbox')).toBe(0);
    expect(await timers.runDue()).toBe(0);
    expect(calls).toBe(1);

    h.clock.advance(1_000);
    expect(await timers.runDue()).toBe(0);
    expect(await find('test.flaky', 'f1')).toMatchObject({ attempts: 2, lastError: 'Error: boom 2' });
    expect(await dueIn()).toBeGreaterThanOrEqual(1_000);
    expect(await dueIn()).toBeLessThanOrEqual(2_000);

    h.clock.advance(2_000);
    expect(await timers.runDue()).toBe(1);
    expect(await h.effects(ds)).toEqual([{ kind: 'test.flaky', key: 'f1', note: 'call 3' }]);
    expect(await count('outbox')).toBe(1);
    expect(await find('test.flaky', 'f1')).toBeUndefined();
    expect(logs.filter((l) => l.msg.startsWith('timer handler failed'))).toHaveLength(2);
  });

  it('keeps a timer that failed maxAttempts times as dead and stops retrying it', async () => {
    const { timers, logs } = h.service(ds, { maxAttempts: 3 });
    const handler = jest.fn(async () => {
      throw new Error('always');
    });
    timers.on('test.broken', handler);
    await h.schedule(ds, 'test.broken', 'b1', 0);
    for (let i = 0; i < 5; i++) {
      await timers.runDue();
      h.clock.advance(2 * HOUR);
    }
    expect(handler).toHaveBeenCalledTimes(3);
    const dead = await find('test.broken', 'b1');
    expect(dead).toMatchObject({ attempts: 3, lastError: 'Error: always' });
    expect(dead?.deadAt).toBeInstanceOf(Date);
    expect(logs.filter((l) => l.level === 50)).toHaveLength(1);
    expect(await timers.dueCount()).toBe(0);

    // A new schedule is a new intent: the timer lives again with a fresh count.
    await h.schedule(ds, 'test.broken', 'b1', 0);
    expect(await find('test.broken', 'b1')).toMatchObject({
      attempts: 0,
      deadAt: null,
      lastError: null,
      generation: 2,
    });
  });

  it('leaves timers of unknown kinds for another version of the service and says so once', async () => {
    const { timers, logs } = h.service(ds);
    timers.on(
      'test.known',
      async (timer, ctx) =>
        void (await ctx.manager.query(`INSERT INTO effect VALUES ($1, $2, NULL)`, [timer.kind, timer.key])),
    );
    await h.schedule(ds, 'test.future', 'u1', 0);
    await h.schedule(ds, 'test.future', 'u2', 0);
    await h.schedule(ds, 'test.known', 'k1', 0);

    expect(await timers.runDue()).toBe(1);
    expect(await timers.runDue()).toBe(0);
    expect(await find('test.future', 'u1')).toMatchObject({ attempts: 0 });
    expect(await timers.dueCount()).toBe(2);
    expect(logs.filter((l) => l.kind === 'test.future')).toHaveLength(1);
  });
});
