import { randomUUID } from 'node:crypto';
import {
  DEAD_LETTER_HEADERS,
  DisruptionResolved,
  EVENT_CATALOGUE,
  RequestRegistered,
  Topics,
  deadLetterTopicFor,
  formatSequence,
  sourceOf,
  type EventContract,
} from '@servicecenter/contracts';
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
 * rejected priority change, and an event every consumer group dead-letters), so a recording
 * run covers every type and every dead-letter topic.
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

  it('dead-letters an event a consumer group cannot read to <group>.dlq with the dlq_* headers, and goes on', async () => {
    const transport = ts.stack.transport as InProcessTransport;
    // What a faulty producer might send: a known type whose payload breaks the contract.
    const malformed = (contract: EventContract, service: string) => {
      const id = randomUUID();
      return {
        topic: contract.topic,
        key: id,
        envelope: {
          specversion: '1.0' as const,
          id,
          source: sourceOf(service),
          type: contract.type,
          time: new Date().toISOString(),
          subject: id,
          datacontenttype: 'application/json' as const,
          actor: `system:${service}`,
          sequence: formatSequence(1),
          data: { requestId: 'not-a-uuid' },
        },
      };
    };
    await transport.publish([malformed(RequestRegistered, 'requests'), malformed(DisruptionResolved, 'escalations')]);
    for (const group of Object.keys(consumerGroupsOf(ts.stack))) {
      const [dead] = await waitFor(
        async () => transport.messages(deadLetterTopicFor(group)),
        (m) => m.length > 0,
        { what: `a dead letter on ${deadLetterTopicFor(group)}` },
      );
      expect(Object.keys(dead.headers).sort()).toEqual(Object.keys(DEAD_LETTER_HEADERS).sort());
      expect(dead.headers).toMatchObject({
        dlq_consumer: group,
        dlq_reason: expect.stringContaining('payload does not match'),
      });
    }
    // The groups moved on: a good event after the bad one is still applied by every group that reads it.
    const request = await registerPayrollIncident(ts, tokens['u-acme'], 'Payslips are missing');
    const [registered] = await waitFor(
      async () =>
        (await published('servicecenter.request.registered.v1')).filter((m) => m.envelope.subject === request.id),
      (m) => m.length > 0,
      { what: 'the registration after the dead letters' },
    );
    for (const service of ['sla', 'escalations', 'reporting', 'release-testing'] as const) {
      await waitFor(
        () =>
          ts.stack.services[service]
            .runtime()
            .dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [registered.envelope.id]),
        (rows: unknown[]) => rows.length === 1,
        { what: `the registration applied by ${service}` },
      );
    }
  });
});
