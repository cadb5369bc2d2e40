import { Topics } from '@servicecenter/contracts';
import type { InProcessTransport } from '@servicecenter/platform-events';
import { waitFor } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { registerPayrollIncident, tokensFor } from '../testing/escalations-e2e';
import { startTestStack, type TestStack } from '../testing/test-stack';

const REQUEST = `id number status version bookedHours surveyOpen timeBookings { hours workDate description bookedBy { id } } survey { score category comment }`;

interface Seen {
  id: string;
  number: string;
  status: string;
  version: number;
  bookedHours: number;
  surveyOpen: boolean;
  timeBookings: { hours: number; workDate: string; description: string | null; bookedBy: { id: string } | null }[];
  survey: { score: number; category: string; comment: string | null } | null;
}

describe('hours booked on requests and the satisfaction survey after closing', () => {
  let ts: TestStack;
  let tokens: Record<string, string>;

  const inputType = (mutation: string) =>
    mutation === 'acceptRequest' || mutation === 'startHandling'
      ? 'RequestStepInput'
      : `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
  const call = (mutation: string, input: Record<string, unknown>, who: string) =>
    ts.client.request<Record<string, { request: Seen }>>(
      `mutation($input: ${inputType(mutation)}!) { ${mutation}(input: $input) { request { ${REQUEST} } } }`,
      { input },
      tokens[who],
    );
  const ok = async (mutation: string, input: Record<string, unknown>, who: string) => {
    const result = await call(mutation, input, who);
    if (result.errors) throw new Error(`${mutation}: ${JSON.stringify(result.errors)}`);
    return (result.data as Record<string, { request: Seen }>)[mutation].request;
  };
  const read = async (id: string, who: string) =>
    (await ts.client.ok<{ request: Seen }>(`query($id: ID!) { request(id: $id) { ${REQUEST} } }`, { id }, tokens[who]))
      .request;
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
    const { bookTime } = await ts.client.ok<{ bookTime: { request: Seen; booking: { hours: number } } }>(
      `mutation($input: BookTimeInput!) { bookTime(input: $input) { request { ${REQUEST} } booking { hours } } }`,
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
