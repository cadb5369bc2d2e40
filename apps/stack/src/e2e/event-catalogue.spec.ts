import { EVENT_CATALOGUE, Topics } from '@servicecenter/contracts';
import { InProcessTransport } from '@servicecenter/platform-events';
import { waitFor } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { registerPayrollIncident, tokensFor } from '../testing/escalations-e2e';
import { consumerGroupsOf, readRecordedEvents } from '../testing/event-recording';
import { startTestStack, type TestStack } from '../testing/test-stack';

/**
 * docs/asyncapi.yaml and docs/events.md take their examples, `receive` operations and
 * dead-letter channels from docs/events.recorded.json (recorded with RECORD_EVENTS=1): it must
 * name the consumer groups the services actually run. The scenario below also publishes the
 * events no other stack spec does (a rejected solution and the SLA target it resumes, a
 * rejected priority change), so a recording run covers every type.
 */
describe('the event catalogue against the running graph', () => {
  let ts: TestStack;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    ts = await startTestStack();
    await createDesk(ts);
    tokens = await tokensFor(ts.client, ['u-acme', 'p-anna', 'p-sm', 'p-lead']);
  });
  afterAll(() => ts?.stop());

  const published = async (type: string) => {
    const transport = ts.stack.transport as InProcessTransport;
    return Object.values(Topics).flatMap((t) => transport.messages(t).filter((m) => m.envelope.type === type));
  };
  const call = (mutation: string, inputType: string, input: Record<string, unknown>, who: string) =>
    ts.client.ok(
      `mutation($input: ${inputType}!) { ${mutation}(input: $input) { request { id status } } }`,
      { input },
      tokens[who],
    );

  it('has the consumer groups the running services register, with their event types', () => {
    expect(readRecordedEvents().consumerGroups).toEqual(consumerGroupsOf(ts.stack));
    const sla = consumerGroupsOf(ts.stack)['servicecenter.sla'];
    expect(sla).toEqual(expect.arrayContaining(['servicecenter.request.registered.v1']));
    expect(sla.every((type) => EVENT_CATALOGUE.some((c) => c.type === type))).toBe(true);
  });

  it('publishes a rejected solution, which resumes the SLA target the proposal completed', async () => {
    const request = await registerPayrollIncident(ts, tokens['u-acme'], 'Payroll run stops at step 3');
    await call('prioritiseRequest', 'PrioritiseRequestInput', { requestId: request.id, priority: 'MEDIUM' }, 'p-anna');
    await call('acceptRequest', 'RequestStepInput', { requestId: request.id }, 'p-anna');
    await call('startHandling', 'RequestStepInput', { requestId: request.id }, 'p-anna');
    await call(
      'proposeSolution',
      'ProposeSolutionInput',
      { requestId: request.id, solution: 'Run step 3 again after renewing the certificate.' },
      'p-anna',
    );
    await waitFor(
      async () =>
        (await published('servicecenter.sla.target-completed.v1')).filter((m) => m.envelope.subject === request.id),
      (m) => m.length > 0,
      { what: 'an SLA target completed by the proposal' },
    );
    await call(
      'respondToSolution',
      'RespondToSolutionInput',
      { requestId: request.id, accepted: false, comment: 'Step 3 still fails.' },
      'u-acme',
    );
    await waitFor(
      async () =>
        (await published('servicecenter.request.solution-rejected.v1')).filter(
          (m) => m.envelope.subject === request.id,
        ),
      (m) => m.length > 0,
      { what: 'the published SolutionRejected event' },
    );
    const resumed = await waitFor(
      async () =>
        (await published('servicecenter.sla.target-resumed.v1')).filter((m) => m.envelope.subject === request.id),
      (m) => m.length > 0,
      { what: 'the SLA target resumed by the rejection' },
    );
    expect(resumed[0].envelope.data).toMatchObject({ requestId: request.id });
  });

  it('publishes a priority change a team manager rejected', async () => {
    const request = await registerPayrollIncident(ts, tokens['u-acme'], 'Payroll slip totals are off');
    const ask = await waitFor(
      () =>
        ts.client.request<{ askPriorityChange: { ask: { id: string } } }>(
          `mutation($input: AskPriorityChangeInput!) { askPriorityChange(input: $input) { ask { id } } }`,
          { input: { requestId: request.id, priority: 'HIGH', reason: 'payroll run at risk' } },
          tokens['p-sm'],
        ),
      (r) => !r.errors,
      { what: 'the request in the escalations read model' },
    );
    await ts.client.ok(
      `mutation($input: DecidePriorityChangeInput!) { decidePriorityChange(input: $input) { ask { id status } } }`,
      { input: { askId: ask.data?.askPriorityChange.ask.id, approve: false, reason: 'Medium fits the impact' } },
      tokens['p-lead'],
    );
    const rejected = await waitFor(
      () => published('servicecenter.escalation.priority-change-rejected.v1'),
      (m) => m.length > 0,
      { what: 'the published PriorityChangeRejected event' },
    );
    expect(rejected[0].envelope.data).toMatchObject({ requestId: request.id, priority: 'HIGH' });
  });
});
