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
