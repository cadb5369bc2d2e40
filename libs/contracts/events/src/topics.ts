/** One topic per producing service, plus the hand-over contract product development reads. */
export const Topics = {
  requests: 'servicecenter.requests.v1',
  sla: 'servicecenter.sla.v1',
  escalations: 'servicecenter.escalations.v1',
  releaseTesting: 'servicecenter.release-testing.v1',
  handovers: 'servicecenter.handovers.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** CloudEvents `source` of each service. */
export const sourceOf = (service: string) => `/servicecenter/${service}`;

/**
 * How the services create their topics when missing (KafkaTransport): partitions bound the
 * consumers of one group that work in parallel; one aggregate's events stay on one partition.
 */
export const TOPIC_LAYOUT = { partitions: 3, replicationFactor: 1 } as const;

/** The consumer group (and inbox consumer name) of a service: `servicecenter.<service>`. */
export const consumerGroupOf = (service: string) => `servicecenter.${service}`;
