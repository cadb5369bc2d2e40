import type { GraphClient } from '@servicecenter/testing';
import { CONSULTANT, CUSTOMER, REGISTER, registerInput } from './graph';
import { summarise, type LatencySummary } from './stats';

const SLA_OF = `query SlaOf($id: ID!) { request(id: $id) { id sla { targets { kind state dueAt } } } }`;
/**
 * Pause between a poll's answer and the next poll. 1 ms (5 ms until 2026-12-05): the clock that
 * a poll just missed is queryable while the bench waits, so the wait is quantisation of the
 * measurement, not latency; a client that wants the clock the moment it is there asks again at once.
 */
const POLL_MS = 1;
const TIMEOUT_MS = 15_000;

export interface EventLatency {
  transport: string;
  /**
   * Milliseconds from the registerRequest answer to the answer of the first poll that saw the
   * SLA clock through the gateway: the clock became visible during the last poll at the latest,
   * so the figure includes that poll's own duration (`poll`) and up to one poll interval (1 ms)
   * plus the rest of the poll that just missed it.
   */
  latency: LatencySummary;
  /** Duration of the poll that saw the clock (a read through gateway, requests and SLA). */
  poll: LatencySummary;
  /** Polls per sample, including the one that saw the clock. */
  polls: LatencySummary;
  /** Samples whose first poll (sent with the registration's answer) did not see the clock yet. */
  firstPollMissed: number;
  pollMs: number;
}

/**
 * Registers a request, then polls the gateway every few ms until the request's SLA targets
 * are there: outbox commit, relay, transport, the SLA consumer's transaction, and the read.
 * The first poll goes out with the answer (it shares the machine with the chain it waits
 * for), the next ones `POLL_MS` after the previous answer.
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
  const seeingPolls: number[] = [];
  const pollCounts: number[] = [];
  for (let i = 0; i < samples; i++) {
    const registered = await client.ok<{ registerRequest: { request: { id: string } } }>(
      REGISTER,
      { input: registerInput(i) },
      customer,
    );
    const started = performance.now();
    const id = registered.registerRequest.request.id;
    for (let polls = 1; ; polls++) {
      const polled = performance.now();
      const data = await client.ok<{ request: { sla: { targets: unknown[] } | null } | null }>(
        SLA_OF,
        { id },
        consultant,
      );
      if (data.request?.sla?.targets.length) {
        seeingPolls.push(performance.now() - polled);
        pollCounts.push(polls);
        break;
      }
      if (performance.now() - started > TIMEOUT_MS)
        throw new Error(`request ${id}: no SLA clock after ${TIMEOUT_MS} ms over ${transport}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    latencies.push(performance.now() - started);
  }
  return {
    transport,
    latency: summarise(latencies),
    poll: summarise(seeingPolls),
    polls: summarise(pollCounts),
    firstPollMissed: pollCounts.filter((n) => n > 1).length,
    pollMs: POLL_MS,
  };
}
