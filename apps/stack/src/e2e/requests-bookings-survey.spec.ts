import { Topics } from '@servicecenter/contracts';
import type { InProcessTransport } from '@servicecenter/platform-events';
import { waitFor } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { registerPayrollIncident, tokensFor } from '../testing/escalations-e2e';
import type { TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';
import type { BookingsRequestFragment } from './generated/graphql';

graphql(`
  fragment BookingsRequest on Request {
    id number status version bookedHours surveyOpen timeBookings { hours workDate description bookedBy { id } } survey { score category comment }
  }`);
/** The steps the spec takes, each answering the request it changed. */
const STEPS = {
  assignRequest: graphql(`
    mutation BookingsAssignRequest($input: AssignRequestInput!) { assignRequest(input: $input) { request { ...BookingsRequest } } }`),
  prioritiseRequest: graphql(`
    mutation BookingsPrioritiseRequest($input: PrioritiseRequestInput!) { prioritiseRequest(input: $input) { request { ...BookingsRequest } } }`),
  acceptRequest: graphql(`
    mutation BookingsAcceptRequest($input: RequestStepInput!) { acceptRequest(input: $input) { request { ...BookingsRequest } } }`),
  startHandling: graphql(`
    mutation BookingsStartHandling($input: RequestStepInput!) { startHandling(input: $input) { request { ...BookingsRequest } } }`),
  proposeSolution: graphql(`
    mutation BookingsProposeSolution($input: ProposeSolutionInput!) { proposeSolution(input: $input) { request { ...BookingsRequest } } }`),
  respondToSolution: graphql(`
    mutation BookingsRespondToSolution($input: RespondToSolutionInput!) { respondToSolution(input: $input) { request { ...BookingsRequest } } }`),
  bookTime: graphql(`
    mutation BookingsBookTime($input: BookTimeInput!) { bookTime(input: $input) { request { ...BookingsRequest } } }`),
  answerSurvey: graphql(`
    mutation BookingsAnswerSurvey($input: AnswerSurveyInput!) { answerSurvey(input: $input) { request { ...BookingsRequest } } }`),
};
type Step = keyof typeof STEPS;
const READ = graphql(`query BookingsRead($id: ID!) { request(id: $id) { ...BookingsRequest } }`);
const BOOK_TIME = graphql(`
  mutation BookingsBookTimeWithBooking($input: BookTimeInput!) {
    bookTime(input: $input) { request { ...BookingsRequest } booking { hours } }
  }`);

describe('hours booked on requests and the satisfaction survey after closing', () => {
  let ts: TestStack;
  let tokens: Record<string, string>;

  /** Sends a step as a client might get it wrong (unchecked variables) and answers the whole response. */
  const call = (mutation: Step, input: Record<string, unknown>, who: string) => {
    const document: TypedDocumentNode<unknown, never> = STEPS[mutation];
    return ts.client.request(document, { input }, tokens[who]);
  };
  const ok = async <K extends Step>(
    mutation: K,
    input: VariablesOf<(typeof STEPS)[K]>['input'],
    who: string,
  ): Promise<BookingsRequestFragment> => {
    // Every step document selects `request { ...BookingsRequest }` under its own root field.
    const document = STEPS[mutation] as unknown as TypedDocumentNode<
      Record<K, { request: BookingsRequestFragment }>,
      { input: typeof input }
    >;
    return (await ts.client.ok(document, { input }, tokens[who]))[mutation].request;
  };
  const read = async (id: string, who: string) => {
    const { request } = await ts.client.ok(READ, { id }, tokens[who]);
    if (!request) throw new Error(`request ${id} not visible to ${who}`);
    return request;
  };
  const events = (type: string, subject: string) =>
    (ts.stack.transport as InProcessTransport)
      .messages(Topics.requests)
      .map((m) => m.envelope)
      .filter((e) => e.type === type && e.subject === subject);

  /** A payroll incident handled by p-anna up to the proposed solution. */
  async function handled(title: string) {
    const request = await registerPayrollIncident(ts, tokens['u-acme'], title);
    await ok('assignRequest', { requestId: request.id, assigneeId: 'p-anna' }, 'p-anna');
    await ok('prioritiseRequest', { requestId: request.id, priority: 'MEDIUM' }, 'p-anna');
    await ok('acceptRequest', { requestId: request.id }, 'p-anna');
    await ok('startHandling', { requestId: request.id }, 'p-anna');
    await ok(
      'proposeSolution',
      { requestId: request.id, solution: 'Restart the run after importing the tax tables.', kind: 'SOLUTION' },
      'p-anna',
    );
    return request;
  }

  beforeAll(async () => {
    ts = await startTestStack();
    await createDesk(ts);
    tokens = await tokensFor(ts.client, ['u-acme', 'u-acme-2', 'u-globex', 'p-anna', 'p-bram', 'p-lead', 'p-sm']);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('books quarter hours on a request for the team that handles it and publishes each booking', async () => {
    const request = await registerPayrollIncident(ts, tokens['u-acme'], 'Payslips show last month');
    const today = new Date().toISOString().slice(0, 10);
    const { bookTime } = await ts.client.ok(
      BOOK_TIME,
      { input: { requestId: request.id, hours: 1.5, workDate: today, description: 'Analysis of the payslip run' } },
      tokens['p-anna'],
    );
    expect(bookTime.booking.hours).toBe(1.5);
    expect(bookTime.request).toMatchObject({
      bookedHours: 1.5,
      timeBookings: [
        { hours: 1.5, workDate: today, description: 'Analysis of the payslip run', bookedBy: { id: 'p-anna' } },
      ],
    });
    await ok('bookTime', { requestId: request.id, hours: 0.25, workDate: today }, 'p-lead');
    // The customer sees what was booked on their request: it is their bundle.
    expect((await read(request.id, 'u-acme')).bookedHours).toBe(1.75);

    const refusals: [Record<string, unknown>, string, string, string?][] = [
      [{ hours: 0.3, workDate: today }, 'p-anna', 'BAD_USER_INPUT', 'input.hours'],
      [{ hours: 0, workDate: today }, 'p-anna', 'BAD_USER_INPUT', 'input.hours'],
      [{ hours: 1, workDate: '2999-01-01' }, 'p-anna', 'BAD_USER_INPUT', 'input.workDate'],
      [{ hours: 1, workDate: today }, 'p-bram', 'FORBIDDEN'], // another team's consultant
      [{ hours: 1, workDate: today }, 'u-acme', 'FORBIDDEN'],
      [{ hours: 1, workDate: today }, 'u-globex', 'NOT_FOUND'],
    ];
    for (const [input, who, code, field] of refusals) {
      const refused = await call('bookTime', { requestId: request.id, ...input }, who);
      expect({
        who,
        input,
        code: refused.errors?.[0].extensions?.code,
        field: refused.errors?.[0].extensions?.field,
      }).toEqual({ who, input, code, field });
    }
    const after = await read(request.id, 'p-anna');
    expect(after.timeBookings).toHaveLength(2);

    const booked = await waitFor(
      async () => events('servicecenter.request.time-booked.v1', request.id),
      (e) => e.length === 2,
      { what: 'two time-booked events' },
    );
    expect(booked.map((e) => e.data)).toEqual([
      expect.objectContaining({
        hours: 1.5,
        workDate: today,
        bookedBy: 'p-anna',
        customerId: 'cust-acme',
        productGroupId: 'grp-payroll',
        number: request.number,
      }),
      expect.objectContaining({ hours: 0.25, bookedBy: 'p-lead', version: after.version }),
    ]);
  });

  it('lets the customer answer the survey once after closing, and publishes the score with its tNPS category', async () => {
    const request = await handled('Annual statement missing');
    const early = await call('answerSurvey', { requestId: request.id, score: 9 }, 'u-acme');
    expect(early.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await read(request.id, 'u-acme')).surveyOpen).toBe(false);

    const closed = await ok(
      'respondToSolution',
      { requestId: request.id, accepted: true, comment: 'Thanks' },
      'u-acme',
    );
    expect(closed).toMatchObject({ status: 'CLOSED', surveyOpen: true, survey: null });

    for (const [who, input, code] of [
      ['p-anna', { score: 10 }, 'FORBIDDEN'],
      ['u-globex', { score: 10 }, 'NOT_FOUND'],
      ['u-acme', { score: 11 }, 'BAD_USER_INPUT'],
      ['u-acme', { score: 7.5 }, 'BAD_USER_INPUT'],
    ] as const) {
      const refused = await call('answerSurvey', { requestId: request.id, ...input }, who);
      expect({ who, input, code: refused.errors?.[0].extensions?.code }).toEqual({ who, input, code });
    }

    // A colleague of the same organisation may answer: the survey belongs to the organisation's request.
    const answered = await ok(
      'answerSurvey',
      { requestId: request.id, score: 6, comment: 'Solved, but it took a week.' },
      'u-acme-2',
    );
    expect(answered).toMatchObject({
      surveyOpen: false,
      survey: { score: 6, category: 'DETRACTOR', comment: 'Solved, but it took a week.' },
    });
    const again = await call('answerSurvey', { requestId: request.id, score: 10 }, 'u-acme');
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await read(request.id, 'p-sm')).survey).toEqual({
      score: 6,
      category: 'DETRACTOR',
      comment: 'Solved, but it took a week.',
    });

    const [event] = await waitFor(
      async () => events('servicecenter.request.survey-answered.v1', request.id),
      (e) => e.length === 1,
      { what: 'the survey event' },
    );
    expect(event.data).toMatchObject({
      score: 6,
      category: 'DETRACTOR',
      answeredBy: 'u-acme-2',
      status: 'CLOSED',
      customerId: 'cust-acme',
    });
  });

  it('publishes the SLA outcome of each target as it completes, for compliance reporting', async () => {
    const request = await handled('Holiday balance wrong');
    const completed = await waitFor(
      async () =>
        (ts.stack.transport as InProcessTransport)
          .messages(Topics.sla)
          .map((m) => m.envelope)
          .filter((e) => e.type === 'servicecenter.sla.target-completed.v1' && e.subject === request.id)
          .map((e) => e.data as { kind: string; outcome: string })
          .map((d) => `${d.kind} ${d.outcome}`)
          .sort(),
      (kinds) => kinds.length === 4,
      { what: 'four completed targets' },
    );
    // The acceptance clock stopped at acceptRequest; first response at the solution (the first public desk reply);
    // resolution at the proposed solution. A Medium incident has no workaround target.
    expect(completed).toEqual(['ACCEPTANCE MET', 'ASSIGNMENT MET', 'FIRST_RESPONSE MET', 'RESOLUTION MET']);
  });
});
