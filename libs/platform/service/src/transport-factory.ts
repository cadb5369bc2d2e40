import { InProcessTransport, KafkaTransport, type EventTransport } from '@servicecenter/platform-events';
import type { Logger } from '@servicecenter/platform-logging';
import { Topics } from '@servicecenter/contracts';

/** Kafka when brokers are configured, otherwise the in-process log (embedded mode). */
export function createTransport(options: {
  kafkaBrokers?: string[];
  clientId: string;
  logger: Logger;
  /** KAFKA_CONSUMER_MAX_WAIT_MS (default 100). */
  consumerMaxWaitMs?: number;
}): EventTransport {
  if (options.kafkaBrokers && options.kafkaBrokers.length > 0) {
    return new KafkaTransport({
      brokers: options.kafkaBrokers,
      clientId: options.clientId,
      logger: options.logger,
      topics: Object.values(Topics),
      consumerMaxWaitMs: options.consumerMaxWaitMs,
    });
  }
  return new InProcessTransport();
}
