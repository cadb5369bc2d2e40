import { randomUUID } from 'node:crypto';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { memoisedDefaultPartitioner } from './kafka-partitioner';

const metadata = (count: number, leaderless: number[] = []): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 1,
    replicas: [1],
    isr: [1],
  }));

describe('the Kafka transport partitioner', () => {
  it("puts every keyed message on kafkajs' default partition for its key, also after the partition count changed", () => {
    const memoised = memoisedDefaultPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    const keys = Array.from({ length: 300 }, () => randomUUID());
    const spread = new Set<number>();
    for (const count of [3, 3, 5, 1, 3]) {
      for (const key of [...keys, ...keys]) {
        const args = { topic: 't', partitionMetadata: metadata(count), message: { key, value: 'v' } };
        const partition = memoised(args);
        expect(partition).toBe(reference(args));
        if (count === 3) spread.add(partition);
      }
    }
    expect(spread).toEqual(new Set([0, 1, 2]));
  });

  it('keeps an explicit partition and spreads messages without a key over the partitions with a leader', () => {
    const memoised = memoisedDefaultPartitioner();
    expect(
      memoised({ topic: 't', partitionMetadata: metadata(3), message: { key: 'k', value: 'v', partition: 2 } }),
    ).toBe(2);
    const unkeyed = new Set(
      Array.from({ length: 30 }, () =>
        memoised({ topic: 't', partitionMetadata: metadata(3, [1]), message: { value: 'v' } }),
      ),
    );
    expect(unkeyed).toEqual(new Set([0, 2]));
  });
});
