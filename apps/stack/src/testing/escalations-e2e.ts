import { OUTBOX_ENVELOPE_SQL } from '@servicecenter/platform-events';
import type { GraphClient } from '@servicecenter/testing';
import { tokenFor } from './desk-fixture';
import type { TestStack } from './test-stack';
import { graphql } from '../e2e/generated';
import type { Priority } from '../e2e/generated/graphql';

/** Bearer tokens for people of the desk fixture, by person id. */
export async function tokensFor(client: GraphClient, ids: readonly string[]): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const id of ids) tokens[id] = await tokenFor(client, id);
  return tokens;
}

const REGISTER_PAYROLL_INCIDENT = graphql(`
  mutation RegisterPayrollIncident($input: RegisterRequestInput!) {
    registerRequest(input: $input) { request { id number status } }
  }`);

/** A customer registers a payroll incident (the request the escalation specs work on). */
export async function registerPayrollIncident(
  ts: TestStack,
  token: string,
  title: string,
  requestedPriority: Priority = 'MEDIUM',
) {
  const { registerRequest } = await ts.client.ok(
    REGISTER_PAYROLL_INCIDENT,
    {
      input: {
        type: 'INCIDENT',
        title,
        description: 'Starting the payroll run stops at step 3 with error PR-500 for every employee.',
        businessImpact: 'Salaries of 1,200 employees cannot be paid on Friday.',
        evidence: [{ kind: 'SCREENSHOT', name: 'error.png' }],
        requestedPriority,
        productId: 'prod-payroll',
      },
    },
    token,
  );
  return registerRequest.request;
}

export interface OutboxRow {
  envelope: { subject: string; data: Record<string, unknown> };
  /** Whether the relay published it (it has no `outbox_pending` entry). */
  published: boolean;
}

/** The escalations service's outbox rows of one event type, in the order they were written. */
export const escalationsOutbox = (ts: TestStack, type: string): Promise<OutboxRow[]> =>
  ts.stack.services.escalations.runtime().dataSource.query(
    `SELECT ${OUTBOX_ENVELOPE_SQL} AS envelope, NOT EXISTS (SELECT 1 FROM outbox_pending p WHERE p.seq = o.seq) AS published
                  FROM outbox o WHERE o.event_type = $1 ORDER BY o.seq`,
    [type],
  );
