import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { HOUR, waitFor } from '@servicecenter/testing';
import type { TimerHandler } from './index';
import { openTimerHarness, type TimerHarness } from './timers.fixture';

describe('durable timers across replicas and restarts', () => {
  let h: TimerHarness;

  beforeEach(async () => {
    h = await openTimerHarness('timer_replicas');
  });
  afterEach(() => h?.close());

  const recording =
    (replica: string): TimerHandler =>
    async (timer, ctx) => {
      await ctx.manager.query(`INSERT INTO effect VALUES ($1, $2, $3)`, [timer.kind, timer.key, replica]);
      // Hold the row while the other replica scans, as a real handler doing I/O would.
      await yieldToOthers();
    };

  it('two services on one database fire every due timer exactly once', async () => {
    const total = 300;
    const [dsA, dsB] = [await h.connect(), await h.connect()];
    const a = h.service(dsA, { batchSize: 25 }).timers.on('test.race', recording('a'));
    const b = h.service(dsB, { batchSize: 25 }).timers.on('test.race', recording('b'));
    await dsA.transaction(async (m) => {
      for (let i = 0; i < total; i++)
        await a
          .store(m)
          .schedule({ kind: 'test.race', key: `t${i}`, dueAt: new Date(h.clock.now().getTime() + (i % 7) * 1000) });
    });
    h.clock.advance(HOUR);

    const drain = async (timers: typeof a) => {
      let fired = 0;
      for (let n = await timers.runDue(); n > 0; n = await timers.runDue()) fired += n;
      return fired;
    };
    // A replica that found everything held by the other stops early; go again until no timer is due.
    const fired = { a: 0, b: 0 };
    while ((await a.dueCount()) > 0) {
      const [fa, fb] = await Promise.all([drain(a), drain(b)]);
      fired.a += fa;
      fired.b += fb;
    }

    const effects = await h.effects(dsA);
    expect(effects).toHaveLength(total);
    expect(new Set(effects.map((e) => e.key)).size).toBe(total);
    expect(fired.a + fired.b).toBe(total);
    expect(effects.filter((e) => e.note === 'a')).toHaveLength(fired.a);
    // Both really took part: the exactly-once above was under contention.
    expect(fired.a).toBeGreaterThan(0);
    expect(fired.b).toBeGreaterThan(0);
  });

  it('two started services polling the same database fire each timer once', async () => {
    const [dsA, dsB] = [await h.connect(), await h.connect()];
    const a = h.service(dsA, { pollMs: 5, batchSize: 10 }).timers.on('test.poll', recording('a'));
    const b = h.service(dsB, { pollMs: 5, batchSize: 10 }).timers.on('test.poll', recording('b'));
    a.start();
    b.start();
    try {
      for (let i = 0; i < 60; i++) await h.schedule(dsA, 'test.poll', `p${i}`, HOUR);
      h.clock.advance(HOUR);
      await waitFor(
        () => a.dueCount(),
        (n) => n === 0,
        { what: 'all timers fired' },
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const effects = await h.effects(dsA);
    expect(effects).toHaveLength(60);
    expect(new Set(effects.map((e) => e.key)).size).toBe(60);
  });

  it('fires a timer after a restart: rows are the truth, nothing is kept in memory', async () => {
    const first = await h.connect();
    const before = h.service(first).timers.on('test.restart', recording('before'));
    before.start();
    await first.transaction((m) =>
      before.store(m).schedule({ kind: 'test.restart', key: 'r1', dueAt: new Date(h.clock.now().getTime() + HOUR) }),
    );
    await before.stop();
    await first.destroy();

    const second = await h.connect();
    const after = h.service(second).timers.on('test.restart', recording('after'));
    h.clock.advance(HOUR);
    await after.runDue();
    expect(await h.effects(second)).toEqual([{ kind: 'test.restart', key: 'r1', note: 'after' }]);
    expect(await after.dueCount()).toBe(0);
  });

  it('stop() waits for the timer in flight, which then commits', async () => {
    const ds = await h.connect();
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const timers = h.service(ds).timers.on('test.slow', async (timer, ctx) => {
      entered();
      await gate;
      await ctx.manager.query(`INSERT INTO effect VALUES ($1, $2, NULL)`, [timer.kind, timer.key]);
    });
    await h.schedule(ds, 'test.slow', 's1', 0);
    timers.start();
    await inHandler;
    let stopped = false;
    const stopping = timers.stop().then(() => (stopped = true));
    // A stop() that did not wait for the handler would have resolved by now.
    await yieldToOthers();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await h.effects(ds)).toHaveLength(1);
    expect(await timers.dueCount()).toBe(0);
  });
});
