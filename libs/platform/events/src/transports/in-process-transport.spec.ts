import type { EventEnvelope } from '@servicecenter/contracts';
import { InProcessTransport } from './in-process-transport';
import type { DeliveredMessage } from './transport';

const envelope = (n: number): EventEnvelope => ({
  specversion: '1.0',
  id: `e-${n}`,
  source: '/servicecenter/spec',
  type: 'servicecenter.spec.happened.v1',
  time: new Date(0).toISOString(),
  subject: 'a-1',
  datacontenttype: 'application/json',
  sequence: String(n).padStart(20, '0'),
  data: { n },
});

describe('the in-process transport log', () => {
  it('keeps the newest messages per topic, with offsets that go on counting after old ones are dropped', async () => {
    const transport = new InProcessTransport({ retainPerTopic: 3 });
    for (let n = 0; n < 10; n++) await transport.publish([{ topic: 't', key: 'a-1', envelope: envelope(n) }]);

    const retained = transport.messages('t');
    expect(retained.map((m) => [m.offset, m.envelope.id])).toEqual([
      ['7', 'e-7'],
      ['8', 'e-8'],
      ['9', 'e-9'],
    ]);

    const replayed: DeliveredMessage[] = [];
    const subscription = await transport.subscribe({
      groupId: 'late',
      topics: ['t'],
      fromBeginning: true,
      handle: async (message) => {
        replayed.push(message);
      },
    });
    await transport.publish([{ topic: 't', key: 'a-1', envelope: envelope(10) }]);
    expect(replayed.map((m) => m.offset)).toEqual(['7', '8', '9', '10']);
    await subscription.stop();
  });
});
