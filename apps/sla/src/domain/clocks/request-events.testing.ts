import type { RequestFacts } from '@servicecenter/contracts';

/** For specs: the facts of a freshly registered request, as the requests service sends them. */
export function requestFacts(overrides: Partial<RequestFacts> = {}): RequestFacts {
  return {
    requestId: '7d2b0c52-55d7-4c1a-9f57-1b6f4ad0f0a1',
    number: 'SC-2026-000001',
    type: 'INCIDENT',
    customerId: 'acme',
    productId: null,
    productGroupId: null,
    teamId: null,
    assigneeId: null,
    requestedPriority: 'HIGH',
    priority: null,
    status: 'REGISTERED',
    previousStatus: null,
    occurredAt: '',
    version: 0,
    ...overrides,
  };
}

/**
 * For specs: the events of one request, built the way the requests service publishes them.
 * Each call bumps the version and carries the facts after the change.
 */
export function requestEvents(overrides: Partial<RequestFacts> = {}) {
  let version = 0;
  const facts = requestFacts(overrides);
  return (name: string, occurredAt: string, extra: Partial<RequestFacts> & Record<string, unknown> = {}) => {
    Object.assign(facts, { previousStatus: facts.status }, extra, { occurredAt, version: ++version });
    return {
      type: `servicecenter.request.${name}.v1`,
      data: { ...facts, ...extra, registeredAt: name === 'registered' ? occurredAt : undefined },
    };
  };
}
