import { InProcessTransport, type DeliveredMessage } from '@servicecenter/platform-events';
import type { EventEnvelope } from '@servicecenter/contracts';
// The seed's `--processes` mode is a script in tools/seed, so the spec imports it by path (as seed-generator.spec does).
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports -- tools/seed is a script, not a library
import { NamespacedTransport } from '../../../tools/seed/processes/namespaced-transport';

/** `npm run seed -- --processes` shares the Kafka broker with other graphs: its topics and groups carry a prefix. */
describe('the seed run namespace on a shared broker', () => {
  const envelope = (id: string) => ({ id, type: 'RequestRegistered' }) as unknown as EventEnvelope;

  it('delivers a run its own events under the plain topic names and never another run’s', async () => {
    const broker = new InProcessTransport();
    const runA = new NamespacedTransport(broker, 'seed_a.');
    const runB = new NamespacedTransport(broker, 'seed_b.');
    const seenA: DeliveredMessage[] = [];
    const seenB: DeliveredMessage[] = [];
    // The same group and topic names in both runs, as every run of the services uses.
    await runA.subscribe({
      groupId: 'sla',
      topics: ['servicecenter.requests.v1'],
      handle: async (m) => void seenA.push(m),
    });
    await runB.subscribe({
      groupId: 'sla',
      topics: ['servicecenter.requests.v1'],
      handle: async (m) => void seenB.push(m),
    });

    await runA.publish([{ topic: 'servicecenter.requests.v1', key: 'r1', envelope: envelope('e1') }]);

    expect(seenA.map((m) => [m.topic, m.envelope.id])).toEqual([['servicecenter.requests.v1', 'e1']]);
    expect(seenB).toEqual([]);
    // On the wire the topic carries the run's prefix (the seed deletes these topics afterwards).
    expect(broker.messages('seed_a.servicecenter.requests.v1')).toHaveLength(1);
    expect(broker.messages('servicecenter.requests.v1')).toHaveLength(0);
    await broker.stop();
  });
});
