import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';

const SLA = graphql(`
  query ClocksSla($id: ID) { request(id: $id) { status sla { priority targets { kind state dueAt pausedMs } timeline { kind } } } }`);
type Target = NonNullable<NonNullable<ResultOf<typeof SLA>['request']>['sla']>['targets'][number];
/** The steps the specs take, each answering the request's id and version. */
const STEPS = {
  registerRequest: graphql(`
    mutation ClocksRegisterRequest($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id version } } }`),
  requestInformation: graphql(`
    mutation ClocksRequestInformation($input: RequestInformationInput!) { requestInformation(input: $input) { request { id version } } }`),
  addReply: graphql(`
    mutation ClocksAddReply($input: AddReplyInput!) { addReply(input: $input) { request { id version } } }`),
  prioritiseRequest: graphql(`
    mutation ClocksPrioritiseRequest($input: PrioritiseRequestInput!) { prioritiseRequest(input: $input) { request { id version } } }`),
  acceptRequest: graphql(`
    mutation ClocksAcceptRequest($input: RequestStepInput!) { acceptRequest(input: $input) { request { id version } } }`),
  startHandling: graphql(`
    mutation ClocksStartHandling($input: RequestStepInput!) { startHandling(input: $input) { request { id version } } }`),
  proposeSolution: graphql(`
    mutation ClocksProposeSolution($input: ProposeSolutionInput!) { proposeSolution(input: $input) { request { id version } } }`),
  respondToSolution: graphql(`
    mutation ClocksRespondToSolution($input: RespondToSolutionInput!) { respondToSolution(input: $input) { request { id version } } }`),
  reopenRequest: graphql(`
    mutation ClocksReopenRequest($input: ReopenRequestInput!) { reopenRequest(input: $input) { request { id version } } }`),
};
type Step = keyof typeof STEPS;
const AT_RISK = graphql(`
  query ClocksAtRisk($team: ID, $first: Int) {
    slaAtRisk(team: $team, first: $first) { totalCount edges { node { requestId dueAt target { kind state } request { number } } } }
  }`);

describe('SLA clocks of a request through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-05-22T13:00:00Z'); // Friday 15:00 in Amsterdam; Monday 25 May is Whit Monday
  const tokens: Record<string, string> = {};
  const run = <K extends Step>(mutation: K, input: VariablesOf<(typeof STEPS)[K]>['input'], who: string) => {
    // Every step document selects `request { id version }` under its own root field.
    const document = STEPS[mutation] as unknown as TypedDocumentNode<
      Record<K, { request: { id: string; version: number } }>,
      { input: typeof input }
    >;
    return ts.client.ok(document, { input }, tokens[who]);
  };
  const targets = async (id: string, until: (t: Record<string, Target>) => boolean, what: string) => {
    const read = await waitFor(
      () => ts.client.ok(SLA, { id }, tokens['p-anna']),
      (r) => !!r.request?.sla && until(Object.fromEntries(r.request.sla.targets.map((t) => [t.kind, t]))),
      { what },
    );
    return {
      byKind: Object.fromEntries((read.request?.sla?.targets ?? []).map((t) => [t.kind, t])) as Record<string, Target>,
      timeline: read.request?.sla?.timeline ?? [],
    };
  };

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    for (const id of ['u-acme', 'p-anna', 'p-lead', 'p-msc', 'p-sm', 'p-po'])
      tokens[id] = await tokenFor(ts.client, id);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('runs working-day targets across the weekend and Whit Monday, and the 24-hour workaround in calendar time', async () => {
    const { registerRequest } = await run(
      'registerRequest',
      {
        type: 'INCIDENT',
        title: 'Payroll run stops at step 3',
        description: 'Starting the payroll run stops at step 3 with error PR-500 for every employee.',
        businessImpact: 'Salaries of 1,200 employees cannot be paid.',
        evidence: [{ kind: 'SCREENSHOT', name: 'error.png' }],
        requestedPriority: 'HIGH',
        productId: 'prod-payroll',
      },
      'u-acme',
    );
    const id = registerRequest.request.id;
    const { byKind } = await targets(id, (t) => t.FIRST_RESPONSE?.state === 'RUNNING', 'running clocks');
    expect(byKind.FIRST_RESPONSE.dueAt).toBe('2026-05-26T13:00:00.000Z'); // Tue 15:00: Fri 15–17 + Tue 08:30–15:00 = 8.5 h
    expect(byKind.ACCEPTANCE.dueAt).toBe('2026-05-28T13:00:00.000Z');
    expect(byKind.WORKAROUND.dueAt).toBe('2026-05-23T13:00:00.000Z'); // Saturday: a payroll stop does not wait for office hours
    expect(byKind.RESOLUTION.dueAt).toBe('2026-06-21T13:00:00.000Z');

    // Waiting for the customer for two working days pauses the working-time clocks by 17 h of business time.
    clock.set('2026-05-26T08:00:00Z'); // Tuesday 10:00
    await run('requestInformation', { requestId: id, missing: ['The run id'] }, 'p-anna');
    const paused = await targets(id, (t) => t.ACCEPTANCE?.state === 'PAUSED', 'paused clocks');
    expect(paused.byKind.ACCEPTANCE.dueAt).toBeNull();
    expect(paused.byKind.FIRST_RESPONSE.state).toBe('MET'); // the question was the desk's first public response
    clock.set('2026-05-28T08:00:00Z'); // Thursday 10:00
    await run('addReply', { requestId: id, body: 'Run id 2026-05-B.' }, 'u-acme');
    const resumed = await targets(id, (t) => t.ACCEPTANCE?.state === 'RUNNING', 'resumed clocks');
    expect(resumed.byKind.ACCEPTANCE.pausedMs).toBe(17 * 3_600_000);
    expect(resumed.byKind.ACCEPTANCE.dueAt).toBe('2026-06-01T13:00:00.000Z'); // Thursday 28 May + 17 h of business time
    expect(resumed.byKind.WORKAROUND.state).toBe('BREACHED');
    expect(resumed.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['STARTED', 'PAUSED', 'RESUMED', 'MET']),
    );
  });

  it('recalculates from the start when a team lead raises the priority from Medium to High halfway', async () => {
    clock.set('2026-11-02T09:00:00Z'); // Monday 10:00
    const { registerRequest } = await run(
      'registerRequest',
      {
        type: 'INCIDENT',
        title: 'Holiday allowance rounding',
        description: 'The holiday allowance is rounded down for part-time employees since November.',
        businessImpact: 'Part-time employees receive a few euros too little.',
        evidence: [{ kind: 'ERROR_MESSAGE', name: 'payslip', text: 'rounding' }],
        requestedPriority: 'MEDIUM',
        productId: 'prod-payroll',
      },
      'u-acme',
    );
    const id = registerRequest.request.id;
    const before = await targets(id, (t) => t.RESOLUTION?.state === 'RUNNING', 'medium clocks');
    expect(before.byKind.WORKAROUND.state).toBe('NOT_APPLICABLE');
    expect(before.byKind.RESOLUTION.dueAt).toBe('2027-01-31T09:00:00.000Z'); // 90 calendar days
    clock.set('2026-11-02T21:00:00Z'); // 12 hours later
    await run(
      'prioritiseRequest',
      { requestId: id, priority: 'HIGH', justification: 'Payroll closes Wednesday' },
      'p-lead',
    );
    const after = await targets(id, (t) => t.WORKAROUND?.state === 'RUNNING', 'high clocks');
    expect(after.byKind.WORKAROUND.dueAt).toBe('2026-11-03T09:00:00.000Z'); // 24 h from registration, not from the change
    expect(after.byKind.RESOLUTION.dueAt).toBe('2026-12-02T09:00:00.000Z'); // 30 days from registration
    expect(after.timeline.map((e) => e.kind)).toContain('RECALCULATED');
  });

  it('lists the running targets of a team soonest to breach first, and keeps customers out', async () => {
    const { slaAtRisk } = await ts.client.ok(AT_RISK, { team: 'team-payroll', first: 50 }, tokens['p-lead']);
    const due = slaAtRisk.edges.map((e) => e.node.dueAt);
    expect(due.length).toBeGreaterThan(0);
    expect(slaAtRisk.totalCount).toBe(due.length);
    expect(due).toEqual([...due].sort());
    expect(due.every((d) => d > clock.now().toISOString())).toBe(true);
    expect(slaAtRisk.edges.every((e) => e.node.target.state === 'RUNNING' && e.node.request?.number)).toBe(true);
    const refused = await ts.client.request(AT_RISK, {}, tokens['u-acme']);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Row 13: internal roles without a letter on the SLA-watch rows are refused too.
    for (const who of ['p-sm', 'p-po']) {
      const internal = await ts.client.request(AT_RISK, {}, tokens[who]);
      expect(internal.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(internal.data).toBeNull();
    }
    const manager = await ts.client.ok(AT_RISK, { team: 'team-payroll' }, tokens['p-msc']);
    expect(manager.slaAtRisk.totalCount).toBe(due.length);
  });

  it('resumes the resolution clock when a closed request is reopened, counting the closed time as paused', async () => {
    clock.set('2026-11-09T09:00:00Z'); // Monday
    const { registerRequest } = await run(
      'registerRequest',
      {
        type: 'INCIDENT',
        title: 'Journal export fails',
        description: 'Exporting the journal ends with an empty file for every period of 2026.',
        businessImpact: 'The accountant cannot close the month.',
        evidence: [{ kind: 'SCREENSHOT', name: 'empty.png' }],
        requestedPriority: 'HIGH',
        productId: 'prod-payroll',
      },
      'u-acme',
    );
    const id = registerRequest.request.id;
    await run('prioritiseRequest', { requestId: id, priority: 'HIGH' }, 'p-anna');
    await run('acceptRequest', { requestId: id }, 'p-anna');
    await run('startHandling', { requestId: id }, 'p-anna');
    clock.set('2026-11-10T09:00:00Z'); // 24 h: solved
    await run('proposeSolution', { requestId: id, solution: 'Patched the export.' }, 'p-anna');
    await run('respondToSolution', { requestId: id, accepted: true }, 'u-acme');
    const met = await targets(id, (t) => t.RESOLUTION?.state === 'MET', 'resolution met');
    expect(met.byKind.WORKAROUND.state).toBe('MET');
    clock.set('2026-11-12T09:00:00Z'); // two days closed, then it comes back
    await run('reopenRequest', { requestId: id, message: 'The export is empty again.' }, 'u-acme');
    const reopened = await targets(id, (t) => t.RESOLUTION?.state === 'RUNNING', 'resolution running again');
    // 30 days from registration plus the 48 h between the solution and the reopen.
    expect(reopened.byKind.RESOLUTION.dueAt).toBe('2026-12-11T09:00:00.000Z');
    expect(reopened.byKind.RESOLUTION.pausedMs).toBe(48 * 3_600_000);
  });
});
