import { randomUUID } from 'node:crypto';
import { setImmediate as tick } from 'node:timers/promises';
import { waitFor } from '@servicecenter/testing';
import type { EventEnvelope } from '@servicecenter/contracts';
import { InProcessTransport, type DeliveredMessage, type TransportMessage } from './index';

const TOPIC = 'test.first';

const message = (n: number, key = 'agg-1'): TransportMessage => ({
  topic: TOPIC,
  key,
  envelope: {
    specversion: '1.0',
    id: randomUUID(),
    source: '/test',
    type: 'servicecenter.test.first.v1',
    time: new Date().toISOString(),
    subject: key,
    datacontenttype: 'application/json',
    sequence: String(n).padStart(20, '0'),
    data: { n },
  } as EventEnvelope,
});

const n = (m: DeliveredMessage) => (m.envelope.data as { n: number }).n;

/** A handler that records what it got and finishes each message only when the spec says so. */
function gatedGroup() {
  const seen: number[] = [];
  const releases: (() => void)[] = [];
  return {
    seen,
    /** Lets the oldest message the handler is working on finish. */
    release: () => releases.shift()?.(),
    handle: async (m: DeliveredMessage) => {
      seen.push(n(m));
      await new Promise<void>((resolve) => releases.push(resolve));
    },
  };
}

/** Waits until `check` holds (effects travel through the groups' drain loops; the deadline only bounds a hang). */
const until = (check: () => boolean, what: string) =>
  waitFor(
    async () => check(),
    (ok) => ok,
    { intervalMs: 1, timeoutMs: 10_000, what },
  );

/** Runs the event loop a while, so a handler that could run has run. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await tick();
};

/**
 * In process, a group that users wait for (`first`, the SLA clocks after a registration) gets
 * a message before the other groups while it is idle: the others get it once it handled it,
 * so its transaction does not share the process with theirs. Every group keeps the publishing
 * order, a busy first group holds nobody back, and a stuck one only for `holdMs`.
 */
describe('in-process transport: the first group', () => {
  it('hands a message to the other groups only once the idle first group handled it', async () => {
    const transport = new InProcessTransport({ holdMs: 60_000 });
    const sla = gatedGroup();
    const others: number[] = [];
    await transport.subscribe({ groupId: 'sla', topics: [TOPIC], first: true, handle: sla.handle });
    await transport.subscribe({ groupId: 'reporting', topics: [TOPIC], handle: async (m) => void others.push(n(m)) });

    const published = transport.publish([message(1)]);
    await until(() => sla.seen.length === 1, 'the first group took 1');
    await settle();
    expect(others).toEqual([]);

    sla.release();
    await published;
    expect(others).toEqual([1]);
    await transport.stop();
  });

  it('keeps every group in publishing order when later messages find the first group busy', async () => {
    const transport = new InProcessTransport({ holdMs: 60_000 });
    const sla = gatedGroup();
    const others: number[] = [];
    await transport.subscribe({ groupId: 'sla', topics: [TOPIC], first: true, handle: sla.handle });
    await transport.subscribe({ groupId: 'reporting', topics: [TOPIC], handle: async (m) => void others.push(n(m)) });

    // 1 finds the first group idle and is held for the others; 2 and 3 find it busy.
    const all = [transport.publish([message(1)])];
    await until(() => sla.seen.length === 1, 'the first group took 1');
    all.push(transport.publish([message(2)]), transport.publish([message(3)]));
    await settle();
    expect(others).toEqual([]);

    for (let i = 0; i < 3; i++) {
      await until(() => sla.seen.length === i + 1, `the first group took message ${i + 1}`);
      sla.release();
    }
    await Promise.all(all);
    expect(sla.seen).toEqual([1, 2, 3]);
    expect(others).toEqual([1, 2, 3]);
    await transport.stop();
  });

  it('holds nobody back while the first group is busy', async () => {
    const transport = new InProcessTransport({ holdMs: 60_000 });
    const sla = gatedGroup();
    const others: number[] = [];
    await transport.subscribe({ groupId: 'sla', topics: [TOPIC], first: true, handle: sla.handle });
    await transport.subscribe({ groupId: 'reporting', topics: [TOPIC], handle: async (m) => void others.push(n(m)) });

    // 1 is held for the others; 2 finds the first group busy and queues behind 1 for them.
    const all = [transport.publish([message(1, 'agg-1')]), transport.publish([message(2, 'agg-2')])];
    await until(() => sla.seen.length === 1, 'the first group took 1');
    sla.release();
    await until(() => others.length === 2, 'the others got 1 and 2');
    expect(sla.seen).toEqual([1, 2]);

    // The first group is still at 2: 3 goes to the others at once.
    all.push(transport.publish([message(3, 'agg-3')]));
    await until(() => others.length === 3, 'the others got 3');
    expect(sla.seen).toEqual([1, 2]);

    sla.release();
    await until(() => sla.seen.length === 3, 'the first group took 3');
    sla.release();
    await Promise.all(all);
    expect(others).toEqual([1, 2, 3]);
    await transport.stop();
  });

  it('lets the others go on after holdMs when the first group does not finish', async () => {
    // The hold's timer on a fake clock; the drain loops run on setImmediate and promises.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const transport = new InProcessTransport({ holdMs: 20 });
      const sla = gatedGroup();
      const others: number[] = [];
      await transport.subscribe({ groupId: 'sla', topics: [TOPIC], first: true, handle: sla.handle });
      await transport.subscribe({ groupId: 'reporting', topics: [TOPIC], handle: async (m) => void others.push(n(m)) });

      const published = transport.publish([message(1)]);
      await settle();
      expect(sla.seen).toEqual([1]);
      jest.advanceTimersByTime(19);
      await settle();
      expect(others).toEqual([]);
      jest.advanceTimersByTime(1);
      await settle();
      expect(others).toEqual([1]);
      sla.release();
      await published;
      await transport.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('delivers to every group at once when none is first', async () => {
    const transport = new InProcessTransport();
    const a = gatedGroup();
    const b = gatedGroup();
    await transport.subscribe({ groupId: 'a', topics: [TOPIC], handle: a.handle });
    await transport.subscribe({ groupId: 'b', topics: [TOPIC], handle: b.handle });
    const published = transport.publish([message(1)]);
    await until(() => a.seen.length === 1 && b.seen.length === 1, 'both groups took 1');
    a.release();
    b.release();
    await published;
    await transport.stop();
  });
});
