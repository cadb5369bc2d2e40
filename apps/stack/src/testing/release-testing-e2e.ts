import { OUTBOX_ENVELOPE_SQL } from '@servicecenter/platform-events';
import type { GraphClient, GraphResponse } from '@servicecenter/testing';
import type { ResultOf } from '@graphql-typed-document-node/core';
import type { TestStack } from './test-stack';
import { graphql } from '../e2e/generated';
import type { CreateTestPlanInput } from '../e2e/generated/graphql';

const READ_RELEASE = graphql(`
  query ReadRelease($id: ID!) {
    release(id: $id) {
      id releaseVersion status version publishedAt
      product { id }
      advice { outcome coverage minCoverage counts { total passed failed blocked skipped notRun } reasons { rule outcome message caseIds defectIds } testRun { id number } }
      decision { decision rationale deviationReason deviatesFromAdvice decidedBy { id name } testRun { number } }
      decisions { decision }
      testRuns { totalCount nodes { id number status } }
      defects { totalCount nodes { id status severity } }
    }
  }`);

/** What the release-testing specs read of a release (the result type of READ_RELEASE, from the API schema). */
export type ReleaseView = NonNullable<ResultOf<typeof READ_RELEASE>['release']>;

const RUN_CASES = graphql(`
  query RunCases($id: ID!) { testRun(id: $id) { results { nodes { caseId title outcome criticality version } } } }`);

/**
 * Runs one mutation `name(input: $input) { <selection> }` and answers the raw response.
 * Stays on strings: the specs pass the mutation name and selection at run time (dozens of
 * mutations through one helper), which a document generated ahead of time cannot express.
 */
export const mutation = <T = Record<string, unknown>>(
  client: GraphClient,
  name: string,
  input: Record<string, unknown>,
  selection: string,
  token: string,
): Promise<GraphResponse<Record<string, T>>> =>
  client.request<Record<string, T>>(
    `mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${selection} } }`,
    { input },
    token,
  );

/** Like mutation, but fails the test on any error and answers the payload. */
export async function mutate<T = Record<string, unknown>>(
  client: GraphClient,
  name: string,
  input: Record<string, unknown>,
  selection: string,
  token: string,
): Promise<T> {
  const result = await mutation<T>(client, name, input, selection, token);
  if (result.errors?.length || !result.data) throw new Error(`${name}: ${JSON.stringify(result.errors)}`);
  return result.data[name];
}

export const errorCode = (r: GraphResponse<unknown>) => r.errors?.[0]?.extensions?.code;

export async function readRelease(client: GraphClient, id: string, token: string): Promise<ReleaseView | null> {
  return (await client.ok(READ_RELEASE, { id }, token)).release ?? null;
}

/** The cases of a run with their ids, by title. */
export async function runCases(client: GraphClient, runId: string, token: string) {
  const { testRun } = await client.ok(RUN_CASES, { id: runId }, token);
  if (!testRun) throw new Error(`no test run ${runId}`);
  return Object.fromEntries(testRun.results.nodes.map((n) => [n.title, n]));
}

export interface OutboxEvent {
  subject: string;
  type: string;
  data: Record<string, unknown>;
}

/** The release-testing service's outbox rows of one event type, in the order they were written. */
export async function releaseTestingOutbox(ts: TestStack, type: string): Promise<OutboxEvent[]> {
  const rows = (await ts.stack.services['release-testing']
    .runtime()
    .dataSource.query(`SELECT ${OUTBOX_ENVELOPE_SQL} AS envelope FROM outbox WHERE event_type = $1 ORDER BY seq`, [
      type,
    ])) as {
    envelope: OutboxEvent;
  }[];
  return rows.map((r) => r.envelope);
}

/** A plan of the payroll product: one CRITICAL and one MINOR case. */
export const PAYROLL_PLAN: CreateTestPlanInput = {
  productId: 'prod-payroll',
  name: 'Payroll month-end',
  cases: [
    {
      title: 'Run the monthly payroll',
      steps: ['Open payroll run November', 'Start the run for all employees'],
      expectedResult: 'The run finishes and every payslip is computed',
      criticality: 'CRITICAL',
    },
    {
      title: 'Print a payslip',
      steps: ['Open an employee', 'Print the payslip'],
      expectedResult: 'The PDF shows the net salary',
      criticality: 'MINOR',
    },
  ],
};
