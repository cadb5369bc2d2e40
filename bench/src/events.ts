import type { GraphClient } from '@servicecenter/testing';
import { CONSULTANT, CUSTOMER, REGISTER, registerInput } from './graph';
import { summarise, type LatencySummary } from './stats';

const SLA_OF = `query SlaOf($id: ID!) { request(id: $id) { id sla { targets { kind state dueAt } } } }`;
const POLL_MS = 5;
const TIMEOUT_MS = 15_000;

export interface EventLatency {
  transport: string;
  /** Milliseconds from the registerRequest answer to the SLA clock being queryable through the gateway. */
  latency: LatencySummary;
  pollMs: number;
}

/**
 * Registers a request, then polls the gateway every few ms until the request's SLA targets
 * are there: outbox commit, relay, transport, the SLA consumer's transaction, and the read.
 */
export async function measureEventLatency(
  client: GraphClient,
  samples: number,
  transport: string,
): Promise<EventLatency> {
  const customer = await client.token(CUSTOMER.roles, {
    sub: CUSTOMER.id,
    customerId: CUSTOMER.customerId,
    name: CUSTOMER.name,
  });
  const consultant = await client.token(CONSULTANT.roles, { sub: CONSULTANT.id, name: CONSULTANT.name });
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const registered = await client.ok<{ registerRequest: { request: { id: string } } }>(
      REGISTER,
      { input: registerInput(i) },
      customer,
    );
    const started = performance.now();
    const id = registered.registerRequest.request.id;
    for (;;) {
      const data = await client.ok<{ request: { sla: { targets: unknown[] } | null } | null }>(
        SLA_OF,
        { id },
        consultant,
      );
      if (data.request?.sla?.targets.length) break;
      if (performance.now() - started > TIMEOUT_MS)
        throw new Error(`request ${id}: no SLA clock after ${TIMEOUT_MS} ms over ${transport}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    latencies.push(performance.now() - started);
  }
  return { transport, latency: summarise(latencies), pollMs: POLL_MS };
}
