import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { formatSequence, type EventEnvelope } from '@servicecenter/contracts';
import { silentLogger } from '@servicecenter/platform-logging';
import { KafkaTransport, type DeliveredMessage, type TransportMessage } from '@servicecenter/platform-events';
import { summariseProfile, type CpuProfile } from './profile-summary';

/**
 * `KAFKA_BROKERS=127.0.0.1:9092 npx tsx tools/bench-kafka-client.ts [--events 20000]
 * [--batch 200] [--partitions 1] [--profile file.cpuprofile]`: the Node CPU the Kafka client
 * (kafkajs and our `KafkaTransport`) spends per produced and per consumed event, outside the
 * services. Publishes `--events` CloudEvents of the size the desk's events have (binary mode:
 * `content-type` and ten `ce_*` headers, ≈ 560 bytes of JSON data) to a fresh topic in
 * batches of `--batch` (the relay's claim), one `publish` after the other as the relay sends
 * them; then one consumer group reads them all from the beginning in sets of up to 200 (the
 * seed's bulk-load fetch settings: 256 kB or 250 ms). Prints the process CPU
 * (`process.cpuUsage`, user + system) and wall time of each phase, per event. The topic is
 * deleted at the end. With `--profile` the phases (`--profile-phase produce|consume|both`) run under the V8 profiler and the
 * per-file summary is printed (profiling inflates the figures; compare runs of one kind).
 * A measurement tool, not a test: take `flock /tmp/bench.lock` and note the load.
 */
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '200' },
    partitions: { type: 'string', default: '1' },
    profile: { type: 'string' },
    /** The phase the profile covers: `produce`, `consume` or `both`. */
    'profile-phase': { type: 'string', default: 'both' },
  },
});
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const total = Number(values.events);
const batchSize = Number(values.batch);
const topic = `bench-kafka-client-${randomUUID()}`;

/** An event like the desk's: a request's step with its ids, actor, correlation and a payload of ≈ 560 bytes. */
function envelope(i: number): EventEnvelope {
  const requestId = randomUUID();
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/servicecenter/requests',
    type: 'servicecenter.request.status-changed.v1',
    time: new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString(),
    subject: requestId,
    datacontenttype: 'application/json',
    correlationid: randomUUID(),
    causationid: randomUUID(),
    actor: randomUUID(),
    sequence: formatSequence(i + 1),
    data: {
      requestId,
      number: `REQ-2026-${String(i + 1).padStart(6, '0')}`,
      from: 'in_progress',
      to: 'waiting_for_customer',
      reason: 'Waiting for the customer to confirm the new delivery address of the replacement laptop.',
      changedBy: randomUUID(),
      changedAt: new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString(),
      priority: 'P3',
      categoryId: randomUUID(),
      assigneeGroupId: randomUUID(),
      assigneeId: randomUUID(),
      customerId: randomUUID(),
      version: 4,
    },
  };
}

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-kafka-client', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const transport = new KafkaTransport({
    brokers,
    clientId: 'bench-kafka-client',
    logger: silentLogger,
    topics: [topic],
    partitions: Number(values.partitions),
    replicationFactor: 1,
    consumerMinBytes: 256 * 1024,
    consumerMaxWaitMs: 250,
  });
  await transport.start();
  const messages: TransportMessage[] = Array.from({ length: total }, (_, i) => {
    const e = envelope(i);
    return { topic, key: e.subject, envelope: e };
  });
  // Warm up the producer path (JIT, metadata) with events of a topic of their own.
  const warmTopic = `${topic}-warm`;
  for (let i = 0; i < 10; i++)
    await transport.publish(messages.slice(0, batchSize).map((m) => ({ ...m, topic: warmTopic })));

  const phase = values['profile-phase'];
  const session = values.profile ? new Session() : undefined;
  const startProfile = async (now: string) => {
    if (!session || (phase !== 'both' && phase !== now)) return;
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  };
  const stopProfile = async (now: string) => {
    if (!session || (phase !== 'both' && phase !== now)) return;
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    writeFileSync(values.profile as string, JSON.stringify(profile));
    console.log(summariseProfile(profile, 30));
  };

  await startProfile('produce');

  let cpu0 = cpu();
  let t0 = performance.now();
  for (let i = 0; i < total; i += batchSize) await transport.publish(messages.slice(i, i + batchSize));
  const produced = { cpu: cpu() - cpu0, wall: performance.now() - t0 };
  if (phase === 'produce') await stopProfile('produce');
  if (phase === 'consume') await startProfile('consume');

  cpu0 = cpu();
  t0 = performance.now();
  let seen = 0;
  let firstAt = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const count = (n: number) => {
    if (seen === 0) firstAt = performance.now();
    seen += n;
    if (seen >= total) done();
  };
  const subscription = await transport.subscribe({
    groupId: `${topic}-group`,
    topics: [topic],
    fromBeginning: true,
    maxBatchSize: 200,
    handle: async (_m: DeliveredMessage) => count(1),
    handleBatch: async (ms: DeliveredMessage[]) => count(ms.length),
  });
  await all;
  const consumed = { cpu: cpu() - cpu0, wall: performance.now() - t0, untilFirst: firstAt - t0 };

  if (phase !== 'produce') await stopProfile(phase === 'both' ? 'both' : 'consume');

  await subscription.stop();
  await transport.stop();
  await admin.deleteTopics({ topics: [topic, warmTopic] }).catch(() => undefined);
  await admin.disconnect();

  const payload = JSON.stringify(messages[0].envelope.data).length;
  console.log(
    `events ${total}, batch ${batchSize}, partitions ${values.partitions}, data ${payload} bytes; load ${loadAverage()}`,
  );
  console.log(
    `produce: ${round((produced.cpu * 1000) / total)} µs CPU per event (${round(produced.cpu)} ms CPU, ${round(produced.wall)} ms wall)`,
  );
  console.log(
    `consume: ${round((consumed.cpu * 1000) / total)} µs CPU per event (${round(consumed.cpu)} ms CPU, ${round(consumed.wall)} ms wall, first set after ${round(consumed.untilFirst)} ms)`,
  );
}

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
