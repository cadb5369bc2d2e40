import {
  CALLER_HEADER,
  CALLER_SIGNATURE_HEADER,
  encodeCaller,
  signCaller,
  type Caller,
  type Role,
} from '@servicecenter/platform-auth';
import type { GraphClient } from '@servicecenter/testing';
import { BENCH_SHARED_SECRET } from './bench-stack';
import type { Call, Scenario } from './load';

/** The consultant whose queue page is measured (apps/stack desk fixture: Team Payroll). */
export const CONSULTANT: Caller = { id: 'p-anna', name: 'Anna de Vries', roles: ['support_consultant'] as Role[] };
export const CUSTOMER: Caller = {
  id: 'u-acme',
  name: 'Alice Acme',
  roles: ['customer'] as Role[],
  customerId: 'cust-acme',
};

const SLA_FIELDS = 'sla { targets { kind state dueAt remainingMs } }';
const ESCALATION_FIELDS = 'escalations { id status }';
const REQUEST_FIELDS = 'id number title type status priority requestedPriority registeredAt';

/** A consultant's queue page: the requests subgraph's page, `sla` and `escalations` per request. */
export const QUEUE_PAGE = `query QueuePage($first: Int) {
  requestQueue(first: $first) { edges { node { ${REQUEST_FIELDS} ${SLA_FIELDS} ${ESCALATION_FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;

/** The same data straight from the subgraphs: what the gateway's query plan fetches. */
const QUEUE_ROOT = `query QueuePage($first: Int) {
  requestQueue(first: $first) { edges { node { __typename ${REQUEST_FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;
const entitiesQuery = (fields: string) =>
  `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Request { ${fields} } } }`;

export const REGISTER = `mutation Register($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id number status } } }`;

export function registerInput(i: number) {
  return {
    type: 'INCIDENT',
    title: `Payroll run fails for employee batch ${i}`,
    description: 'The monthly payroll run stops with an error for one batch of employees.',
    businessImpact: 'Salaries of the batch cannot be paid on time.',
    requestedPriority: i % 3 === 0 ? 'HIGH' : i % 3 === 1 ? 'MEDIUM' : 'LOW',
    productId: 'prod-payroll',
    evidence: [{ kind: 'ERROR_MESSAGE', name: 'error.txt', text: 'PAYROLL-0042: batch aborted' }],
  };
}

/** The headers apps/gateway sets on every subgraph call (signed caller). */
export function subgraphHeaders(caller: Caller): Record<string, string> {
  const encoded = encodeCaller(caller);
  return { [CALLER_HEADER]: encoded, [CALLER_SIGNATURE_HEADER]: signCaller(encoded, BENCH_SHARED_SECRET) };
}

export function gatewayCall(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): Call {
  return {
    url,
    headers: { authorization: `Bearer ${token}`, ...extraHeaders },
    body: JSON.stringify({ query, variables }),
  };
}

export function queueThroughGateway(url: string, token: string, pageSize: number): Scenario {
  return { kind: 'single', call: gatewayCall(url, token, QUEUE_PAGE, { first: pageSize }) };
}

/**
 * Client-side federation of the queue page: requests subgraph first, then `_entities` on the
 * sla and escalations subgraphs in parallel (the gateway's plan), with the signed caller.
 * `extraHeaders` lets the bench ask for inline traces (ftv1) the way a tracing gateway would.
 */
export function queueStraightFromSubgraphs(
  urls: { requests: string; sla: string; escalations: string },
  pageSize: number,
  extraHeaders: Record<string, string> = {},
): Scenario {
  const headers = { ...subgraphHeaders(CONSULTANT), ...extraHeaders };
  return {
    kind: 'federated',
    root: { url: urls.requests, headers, body: JSON.stringify({ query: QUEUE_ROOT, variables: { first: pageSize } }) },
    entities: [
      { url: urls.sla, headers, query: entitiesQuery(SLA_FIELDS) },
      { url: urls.escalations, headers, query: entitiesQuery(ESCALATION_FIELDS) },
    ],
  };
}

/** Checks both paths return the same page before timing them (a fast wrong answer is no figure). */
export async function queuePageSize(
  client: GraphClient,
  token: string,
  pageSize: number,
): Promise<{ rows: number; withSla: number }> {
  const data = await client.ok<{ requestQueue: { edges: { node: { sla: unknown } }[] } }>(
    QUEUE_PAGE,
    { first: pageSize },
    token,
  );
  const rows = data.requestQueue.edges.length;
  return { rows, withSla: data.requestQueue.edges.filter((e) => e.node.sla !== null).length };
}
