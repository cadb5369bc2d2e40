import { Partitioners, type ICustomPartitioner } from 'kafkajs';

/** Keys remembered per partition count before the memo starts over (a few MB at most). */
const MAX_KEYS = 50_000;

/**
 * kafkajs' default partitioner (Java-compatible murmur2 of the key, modulo the topic's
 * partition count; round robin over available partitions for messages without a key), with
 * each key's partition remembered. A keyed message's partition depends only on its key and the
 * partition count, and the relay sends every aggregate's events under the same key (an
 * imported request's ≈ 15 in one batch): hashing the key again, with a Buffer and a filter of
 * the partition metadata per message, was ≈ 2 % of the requests process's CPU in an import
 * (docs/performance.md, change 35).
 */
export const memoisedDefaultPartitioner: ICustomPartitioner = () => {
  const partitioner = Partitioners.DefaultPartitioner();
  const byCount = new Map<number, Map<string, number>>();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.partition != null || typeof message.key !== 'string') return partitioner(args);
    let memo = byCount.get(partitionMetadata.length);
    if (!memo) byCount.set(partitionMetadata.length, (memo = new Map()));
    let partition = memo.get(message.key);
    if (partition === undefined) {
      if (memo.size >= MAX_KEYS) memo.clear();
      partition = partitioner(args);
      memo.set(message.key, partition);
    }
    return partition;
  };
};
