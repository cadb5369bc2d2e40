import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { silentLogger } from '@servicecenter/platform-logging';
import { createTransport } from '@servicecenter/platform-service';
import { kafkaBrokers } from '@servicecenter/testing';
import { startTestStack, type TestStack } from './test-stack';

export interface SeenMessage {
  key: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** The whole graph with its events on the real Kafka broker; `stop` also stops the transport. */
export async function startKafkaTestStack(clientId: string): Promise<TestStack> {
  const transport = createTransport({ kafkaBrokers: kafkaBrokers(), clientId, logger: silentLogger });
  await transport.start();
  const ts = await startTestStack({ transport });
  return {
    ...ts,
    stop: async (options) => {
      await ts.stop(options);
      await transport.stop();
    },
  };
}

/**
 * What a product-development team runs: a plain kafkajs consumer (no code of ours) in a group
 * of its own, reading a topic from the beginning; every message lands in `received`.
 */
export async function plainConsumer(
  topic: string,
  clientId: string,
): Promise<{ received: SeenMessage[]; stop(): Promise<void> }> {
  const received: SeenMessage[] = [];
  const kafka = new Kafka({ clientId, brokers: kafkaBrokers() ?? [], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${clientId}-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      received.push({ key: String(message.key), headers, body: JSON.parse(String(message.value)) });
    },
  });
  return { received, stop: () => consumer.disconnect() };
}
