import { InProcessTransport } from './in-process-transport';
import type { DeliveredMessage } from './transport';

const message = (n: number) => ({
  topic: 'test.log',
  key: 'one',
  envelope: {
    specversion: '1.0',
    id: `event-${n}`,
    source: '/test',
    type: 'test.logged.v1',
    time: new Date(0).toISOString(),
    subject: 'one',
    datacontenttype: 'application/json',
    data: { n },
  } as DeliveredMessage['envelope'],
});

describe('in-process transport: the topic log', () => {
  it('keeps the newest retainPerTopic messages, and offsets keep counting past the trimmed ones', async () => {
    const transport = new InProcessTransport({ retainPerTopic: 3 });
    const seen: string[] = [];
    await transport.subscribe({
      groupId: 'g',
      topics: ['test.log'],
      handle: async (m) => void seen.push(m.offset),
    });
    for (let n = 0; n < 10; n++) await transport.publish([message(n)]);
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const kept = transport.messages('test.log');
    expect(kept.map((m) => (m.envelope.data as { n: number }).n)).toEqual([7, 8, 9]);
    expect(kept.map((m) => m.offset)).toEqual(['7', '8', '9']);
  });

  it('a group subscribing from the beginning gets the kept messages only', async () => {
    const transport = new InProcessTransport({ retainPerTopic: 2 });
    await transport.publish([message(0), message(1), message(2), message(3), message(4)]);
    const seen: number[] = [];
    await transport.subscribe({
      groupId: 'late',
      topics: ['test.log'],
      fromBeginning: true,
      handle: async (m) => void seen.push((m.envelope.data as { n: number }).n),
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([3, 4]);
  });
});
