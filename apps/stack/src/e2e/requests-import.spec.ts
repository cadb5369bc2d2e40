import { OUTBOX_ENVELOPE_SQL } from '@servicecenter/platform-events';
import { TestClock, waitFor } from '@servicecenter/testing';
import { createDesk, tokenFor } from '../testing/desk-fixture';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startTestStack, type TestStack } from '../testing/test-stack';
import { graphql } from './generated';
import type { ImportedRequestFragment, RegisterRequestInput } from './generated/graphql';

graphql(`
  fragment ImportedRequest on Request {
    id number title type status version priority requestedPriority completionReason firstResponseAt registeredAt closedAt teamId
    followUpOf { id number }
    assignee { id } replies { side visibility kind body createdAt } timeBookings { hours workDate }
    sla { targets { kind state } }
  }`);
const IMPORT = graphql(`
  mutation ImportRequests($input: ImportRequestsInput!) {
    importRequests(input: $input) {
      imported { ...ImportedRequest } skipped { importKey request { id } continuedAs { id } } continued { ...ImportedRequest }
    }
  }`);
const READ = graphql(`query ImportRead($id: ID) { request(id: $id) { ...ImportedRequest } }`);
const REGISTER = graphql(`
  mutation ImportRegister($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id } } }`);

const incident: RegisterRequestInput = {
  type: 'INCIDENT',
  title: 'Payroll run stops at step 3',
  description: 'Starting the November payroll run stops at step 3 with error PR-500 for every employee.',
  businessImpact: 'Salaries of 1,200 employees cannot be paid on Friday.',
  evidence: [{ kind: 'SCREENSHOT', name: 'error.png', contentType: 'image/png', sizeBytes: 48213 }],
  requestedPriority: 'HIGH',
  productId: 'prod-payroll',
  customerId: 'cust-acme',
};

/** A week ago: handled by the payroll team, solved the next morning, booked and rated. */
const steps = [
  {
    at: '2026-11-16T08:30:00Z',
    by: 'p-lead',
    mutation: 'ASSIGN_REQUEST',
    input: { teamId: 'team-payroll', assigneeId: 'p-anna' },
  },
  { at: '2026-11-16T08:40:00Z', by: 'p-anna', mutation: 'PRIORITISE_REQUEST', input: { priority: 'HIGH' } },
  { at: '2026-11-16T09:00:00Z', by: 'p-anna', mutation: 'SEND_IN_HANDLING_NOTICE', input: {} },
  { at: '2026-11-16T09:05:00Z', by: 'p-anna', mutation: 'ACCEPT_REQUEST', input: {} },
  { at: '2026-11-16T09:10:00Z', by: 'p-anna', mutation: 'START_HANDLING', input: {} },
  {
    at: '2026-11-16T11:00:00Z',
    by: 'p-anna',
    mutation: 'ADD_REPLY',
    input: { body: 'We found the cause: a missing tax table.' },
  },
  {
    at: '2026-11-16T15:00:00Z',
    by: 'p-anna',
    mutation: 'PROPOSE_SOLUTION',
    input: { solution: 'The tax table is restored; please start the run again.', kind: 'SOLUTION' },
  },
  { at: '2026-11-16T16:00:00Z', by: 'p-anna', mutation: 'BOOK_TIME', input: { hours: 2.5, workDate: '2026-11-16' } },
  { at: '2026-11-17T08:15:00Z', by: 'u-acme', mutation: 'RESPOND_TO_SOLUTION', input: { accepted: true } },
  {
    at: '2026-11-17T09:00:00Z',
    by: 'u-acme',
    mutation: 'ANSWER_SURVEY',
    input: { score: 9, comment: 'Quick and clear.' },
  },
];

/**
 * The live mutation for each imported step. The steps are data (the import's own input), so
 * their inputs reach these documents unchecked by the compiler; the server checks them.
 */
const LIVE: Record<string, TypedDocumentNode<unknown, never>> = {
  ASSIGN_REQUEST: graphql(`
    mutation ImportLiveAssignRequest($input: AssignRequestInput!) { assignRequest(input: $input) { __typename } }`),
  PRIORITISE_REQUEST: graphql(`
    mutation ImportLivePrioritiseRequest($input: PrioritiseRequestInput!) { prioritiseRequest(input: $input) { __typename } }`),
  SEND_IN_HANDLING_NOTICE: graphql(`
    mutation ImportLiveSendInHandlingNotice($input: SendInHandlingNoticeInput!) { sendInHandlingNotice(input: $input) { __typename } }`),
  ACCEPT_REQUEST: graphql(`
    mutation ImportLiveAcceptRequest($input: RequestStepInput!) { acceptRequest(input: $input) { __typename } }`),
  START_HANDLING: graphql(`
    mutation ImportLiveStartHandling($input: RequestStepInput!) { startHandling(input: $input) { __typename } }`),
  ADD_REPLY: graphql(`
    mutation ImportLiveAddReply($input: AddReplyInput!) { addReply(input: $input) { __typename } }`),
  PROPOSE_SOLUTION: graphql(`
    mutation ImportLiveProposeSolution($input: ProposeSolutionInput!) { proposeSolution(input: $input) { __typename } }`),
  BOOK_TIME: graphql(`
    mutation ImportLiveBookTime($input: BookTimeInput!) { bookTime(input: $input) { __typename } }`),
  RESPOND_TO_SOLUTION: graphql(`
    mutation ImportLiveRespondToSolution($input: RespondToSolutionInput!) { respondToSolution(input: $input) { __typename } }`),
  ANSWER_SURVEY: graphql(`
    mutation ImportLiveAnswerSurvey($input: AnswerSurveyInput!) { answerSurvey(input: $input) { __typename } }`),
  REOPEN_REQUEST: graphql(`
    mutation ImportLiveReopenRequest($input: ReopenRequestInput!) { reopenRequest(input: $input) { __typename } }`),
};
const LIVE_TREAT_AS_NEW = graphql(`
  mutation ImportLiveTreatAsNew($input: TreatAsNewRequestInput!) { treatAsNewRequest(input: $input) { request { id } } }`);

describe('importing request histories through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-11-16T08:00:00Z');
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    for (const id of ['u-acme', 'p-anna', 'p-lead']) tokens[id] = await tokenFor(ts.client, id);
    tokens.admin = await ts.client.token('admin', { sub: 'p-admin' });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  const importRequests = (requests: unknown[], who = 'admin') =>
    ts.client.request(IMPORT, { input: { requests } }, tokens[who]);
  const read = async (id: string) => {
    const { request } = await ts.client.ok(READ, { id }, tokens['p-lead']);
    if (!request) throw new Error(`request ${id} not visible`);
    return request;
  };
  const eventTypes = async (requestId: string) =>
    (
      (await ts.stack.services.requests
        .runtime()
        .dataSource.query(`SELECT event_type FROM outbox WHERE message_key = $1 ORDER BY seq`, [requestId])) as {
        event_type: string;
      }[]
    ).map((r) => r.event_type);
  const count = async (sql: string) =>
    Number(((await ts.stack.services.requests.runtime().dataSource.query(sql)) as { n: string }[])[0].n);
  /** Two requests with the same history differ only in id and number (also where texts quote it). */
  const comparable = (r: Record<string, unknown>) =>
    JSON.parse(
      JSON.stringify({ ...r, id: undefined, number: undefined })
        .replaceAll(r.number as string, '<number>')
        .replaceAll(r.id as string, '<id>'),
    ) as unknown;

  it('replays a history with the same rules, facts, events and SLA outcome as living it, and imports a key once', async () => {
    // Lived: the same steps as mutations at the same instants.
    const registered = (await ts.client.ok(REGISTER, { input: incident }, tokens['p-anna'])).registerRequest.request;
    for (const step of steps) {
      clock.set(step.at);
      const lived = await ts.client.request(
        LIVE[step.mutation],
        { input: { ...step.input, requestId: registered.id } },
        tokens[step.by],
      );
      expect({ step: step.mutation, errors: lived.errors }).toEqual({ step: step.mutation, errors: undefined });
    }

    // Imported a week later.
    clock.set('2026-11-23T09:00:00Z');
    const history = {
      importKey: 'OLD-4711',
      registeredAt: '2026-11-16T08:00:00Z',
      registeredBy: 'p-anna',
      registration: incident,
      steps,
    };
    const result = await importRequests([history]);
    expect(result.errors).toBeUndefined();
    const { imported, skipped } = result.data!.importRequests;
    expect(skipped).toEqual([]);
    expect(imported).toHaveLength(1);
    const importedId = imported[0].id;

    // The SLA and the other read models fill from the same events.
    const settled = (r: ImportedRequestFragment) => (r.sla?.targets ?? []).every((t) => t.state !== 'RUNNING');
    const lived = await waitFor(() => read(registered.id), settled, {
      what: 'the lived request’s SLA targets settled',
    });
    const replayed = await waitFor(() => read(importedId), settled, {
      what: 'the imported request’s SLA targets settled',
    });
    expect(replayed).toMatchObject({
      status: 'CLOSED',
      completionReason: 'SOLVED',
      priority: 'HIGH',
      firstResponseAt: '2026-11-16T09:00:00.000Z',
      registeredAt: '2026-11-16T08:00:00.000Z',
    });
    expect(comparable(replayed)).toEqual(comparable(lived));
    expect(await eventTypes(importedId)).toEqual(await eventTypes(registered.id));

    // Again (an interrupted import run twice): skipped, nothing added.
    const requestsBefore = await count(`SELECT count(*) AS n FROM request`);
    const again = await importRequests([history]);
    expect(again.data?.importRequests).toEqual({
      imported: [],
      skipped: [{ importKey: 'OLD-4711', request: { id: importedId }, continuedAs: null }],
      continued: [],
    });
    expect(await count(`SELECT count(*) AS n FROM request`)).toBe(requestsBefore);
  });

  it('sends the reminders and closes a history whose customer never answered, at the instants the desk would have', async () => {
    // A solution proposed on Monday 2 November and no answer: reminders after 3 and 3 more working days, closed 3 after that.
    const quiet = steps.slice(0, 7).map((s) => ({ ...s, at: s.at.replace('-16T', '-02T') }));
    const result = await importRequests([
      {
        importKey: 'OLD-QUIET',
        registeredAt: '2026-11-02T08:00:00Z',
        registeredBy: 'u-acme',
        registration: incident,
        steps: quiet,
      },
    ]);
    expect(result.errors).toBeUndefined();
    const [request] = result.data!.importRequests.imported;
    expect(request).toMatchObject({
      status: 'CLOSED',
      completionReason: 'NO_REPLY',
      closedAt: '2026-11-13T15:00:00.000Z',
    });
    expect(
      request.replies
        .filter((r) => r.kind === 'REMINDER' || r.kind === 'CLOSING_TEXT')
        .map((r) => [r.kind, r.createdAt]),
    ).toEqual([
      ['REMINDER', '2026-11-05T15:00:00.000Z'],
      ['REMINDER', '2026-11-10T15:00:00.000Z'],
      ['CLOSING_TEXT', '2026-11-13T15:00:00.000Z'],
    ]);
    // Nothing left to fire later.
    expect(await count(`SELECT count(*) AS n FROM timer WHERE key = '${request.id}'`)).toBe(0);
  });

  it('rejects a history the process does not allow as a whole, naming the step, and writes nothing of the call', async () => {
    const before = {
      requests: await count(`SELECT count(*) AS n FROM request`),
      outbox: await count(`SELECT count(*) AS n FROM outbox`),
    };
    const fine = {
      importKey: 'OLD-1',
      registeredAt: '2026-11-18T08:00:00Z',
      registeredBy: 'u-acme',
      registration: incident,
      steps: steps.slice(0, 2).map((s) => ({ ...s, at: s.at.replace('-16T', '-18T') })),
    };
    // The customer cannot accept their own request (a desk step).
    const illegal = {
      importKey: 'OLD-2',
      registeredAt: '2026-11-18T08:00:00Z',
      registeredBy: 'u-acme',
      registration: incident,
      steps: [{ at: '2026-11-18T09:00:00Z', by: 'u-acme', mutation: 'ACCEPT_REQUEST', input: {} }],
    };
    const rejected = await importRequests([fine, illegal]);
    expect(rejected.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.requests.1.steps.0.input', reason: 'FORBIDDEN' },
    });
    expect(rejected.errors?.[0].message).toMatch(/^History OLD-2: /);

    const unordered = { ...fine, importKey: 'OLD-3', steps: [...fine.steps].reverse() };
    const rejectedOrder = await importRequests([unordered]);
    expect(rejectedOrder.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.requests.0.steps.1.at' },
    });

    // Ids the directory does not know (read ahead for the whole call) are rejected by the step that names them.
    const strangers = [
      { ...fine, importKey: 'OLD-4', steps: [fine.steps[0], { ...fine.steps[1], by: 'p-nobody' }] },
      { ...fine, importKey: 'OLD-5', registration: { ...incident, productId: 'prod-nothing' } },
      {
        ...fine,
        importKey: 'OLD-6',
        steps: [{ ...fine.steps[0], input: { teamId: 'team-payroll', assigneeId: 'p-nobody' } }],
      },
    ];
    for (const [history, field] of [
      [strangers[0], 'input.requests.1.steps.1.by'],
      [strangers[1], 'input.requests.1.registration.productId'],
      [strangers[2], 'input.requests.1.steps.0.input.assigneeId'],
    ] as const) {
      const unknown = await importRequests([fine, history]);
      expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
      expect(unknown.errors?.[0].message).toMatch(/(p-nobody|prod-nothing)/);
    }

    expect((await importRequests([fine], 'p-lead')).errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect({
      requests: await count(`SELECT count(*) AS n FROM request`),
      outbox: await count(`SELECT count(*) AS n FROM outbox`),
    }).toEqual(before);
  });

  it('draws a call’s numbers at its end: a rejected call waits for no other and gives nothing away, concurrent calls get gapless blocks in history order', async () => {
    clock.set('2026-11-23T09:00:00Z');
    const db = ts.stack.services.requests.runtime().dataSource;
    // Assigned, prioritised and told it is in handling (a text that quotes the number).
    const history = (importKey: string, day: string) => ({
      importKey,
      registeredAt: `${day}T08:00:00Z`,
      registeredBy: 'u-acme',
      registration: incident,
      steps: steps.slice(0, 3).map((s) => ({ ...s, at: s.at.replace('2026-11-16', day) })),
    });
    const lastNumber = async (year: number) =>
      Number(
        (
          (await db.query(`SELECT last_number FROM request_number_counter WHERE year = $1`, [year])) as {
            last_number: number;
          }[]
        )[0]?.last_number ?? 0,
      );
    const before = { 2025: await lastNumber(2025), 2026: await lastNumber(2026) };

    // Another transaction holds the year's counter until it commits, as a registration does.
    const holder = db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(
      `INSERT INTO request_number_counter (year, last_number) VALUES (2026, 0)
       ON CONFLICT (year) DO UPDATE SET last_number = request_number_counter.last_number`,
    );
    let held = true;
    const calls = Promise.all([
      importRequests([history('NUM-1', '2026-11-19'), history('NUM-2', '2025-12-31'), history('NUM-3', '2026-11-19')]),
      importRequests([history('NUM-4', '2026-11-19'), history('NUM-5', '2026-11-19')]),
    ]).finally(() => expect(held).toBe(false));
    const illegal = {
      ...history('NUM-X', '2026-11-19'),
      steps: [{ at: '2026-11-19T09:00:00Z', by: 'u-acme', mutation: 'ACCEPT_REQUEST', input: {} }],
    };
    let timer: NodeJS.Timeout | undefined;
    const rejected = await Promise.race([
      importRequests([history('NUM-6', '2026-11-19'), illegal]),
      new Promise<'waiting'>((resolve) => (timer = setTimeout(() => resolve('waiting'), 10_000))),
    ]).finally(() => clearTimeout(timer));
    held = false;
    await holder.rollbackTransaction();
    await holder.release();
    expect(rejected === 'waiting' ? 'the rejected call waited for the counter' : rejected.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.requests.1.steps.0.input' },
    });

    const results = await calls;
    const imported = results.map((r) => {
      expect(r.errors).toBeUndefined();
      return r.data!.importRequests.imported;
    });
    const counter = (n: string) => Number(n.slice(-6));
    const [first, second] = imported.map((list) => list.map((r) => r.number));
    // Every 2026 number after the ones taken before, each once, each call's block consecutive in
    // the order of its histories; the rejected call's registration took none.
    expect(first[1]).toBe(`SC-2025-${String(before[2025] + 1).padStart(6, '0')}`);
    const ours = [first[0], first[2], ...second].map(counter);
    expect([...ours].sort((a, b) => a - b)).toEqual([1, 2, 3, 4].map((i) => before[2026] + i));
    expect(counter(first[2])).toBe(counter(first[0]) + 1);
    expect(counter(second[1])).toBe(counter(second[0]) + 1);
    expect(await lastNumber(2026)).toBe(before[2026] + 4);

    // The numbers reached the texts and the events, as a live registration's do.
    for (const request of imported.flat()) {
      expect(request.replies.filter((r) => r.body.includes(request.number)).map((r) => r.kind)).toEqual([
        'IN_HANDLING_NOTICE',
      ]);
      const payloads = (await db.query(
        `SELECT DISTINCT (${OUTBOX_ENVELOPE_SQL})->'data'->>'number' AS number FROM outbox WHERE message_key = $1`,
        [request.id],
      )) as { number: string }[];
      expect(payloads).toEqual([{ number: request.number }]);
    }
    expect(JSON.stringify(results)).not.toContain('\uE000');
  }, 60_000);
  it('imports a key once when two calls carry it at the same time: the second waits for the first and skips it', async () => {
    clock.set('2026-11-23T09:00:00Z');
    const history = {
      importKey: 'TWICE-1',
      registeredAt: '2026-11-18T08:00:00Z',
      registeredBy: 'u-acme',
      registration: incident,
      steps: steps.slice(0, 2).map((s) => ({ ...s, at: s.at.replace('2026-11-16', '2026-11-18') })),
    };
    const other = { ...history, importKey: 'TWICE-2' };
    const results = await Promise.all([importRequests([history]), importRequests([other, history])]);
    for (const r of results) expect(r.errors).toBeUndefined();
    const [first, second] = results.map((r) => r.data!.importRequests);
    const imported = [...first.imported, ...second.imported];
    const skipped = [...first.skipped, ...second.skipped];
    // Exactly one of the calls imported TWICE-1; the other reports it skipped with the same request.
    expect(imported).toHaveLength(2);
    expect(skipped).toHaveLength(1);
    expect(skipped[0].importKey).toBe('TWICE-1');
    const twice = imported.find((r) => r.id === skipped[0].request?.id);
    expect(twice).toBeDefined();
    expect(await count(`SELECT count(*) AS n FROM request_import WHERE import_key IN ('TWICE-1', 'TWICE-2')`)).toBe(2);
  }, 60_000);

  it('replays a history that ends with the reopened request treated as a new one: the old one closes, the new one is registered, linked and numbered next, with the same events as living it', async () => {
    // Solved on Wednesday 25 November, reopened with a different question, which the desk registers as a new request.
    const day = <S extends { at: string }>(s: S): S => ({
      ...s,
      at: s.at.replace('-16T', '-24T').replace('-17T', '-25T'),
    });
    const lifeSteps: { at: string; by: string; mutation: string; input: Record<string, unknown> }[] = [
      ...steps.map(day),
      {
        at: '2026-11-25T10:00:00Z',
        by: 'u-acme',
        mutation: 'REOPEN_REQUEST',
        input: { message: 'And how do we run it for the temporary staff?' },
      },
      {
        at: '2026-11-25T11:00:00Z',
        by: 'p-anna',
        mutation: 'TREAT_AS_NEW_REQUEST',
        input: {
          title: 'Payroll run for temporary staff',
          description: 'The customer asks how to run the payroll for temporary staff.',
        },
      },
    ];
    const [last] = lifeSteps.slice(-1);

    // Lived.
    clock.set('2026-11-24T08:00:00Z');
    const lived = (await ts.client.ok(REGISTER, { input: incident }, tokens['u-acme'])).registerRequest.request;
    for (const step of lifeSteps.slice(0, -1)) {
      clock.set(step.at);
      const result = await ts.client.request(
        LIVE[step.mutation],
        { input: { ...step.input, requestId: lived.id } },
        tokens[step.by],
      );
      expect({ step: step.mutation, errors: result.errors }).toEqual({ step: step.mutation, errors: undefined });
    }
    clock.set(last.at);
    const livedNew = (
      await ts.client.ok(
        LIVE_TREAT_AS_NEW,
        {
          input: { title: String(last.input.title), description: String(last.input.description), requestId: lived.id },
        },
        tokens[last.by],
      )
    ).treatAsNewRequest.request;

    // Imported the next day.
    clock.set('2026-11-26T09:00:00Z');
    const history = {
      importKey: 'OLD-4712',
      registeredAt: '2026-11-24T08:00:00Z',
      registeredBy: 'u-acme',
      registration: incident,
      steps: lifeSteps,
    };
    const before = { requests: await count(`SELECT count(*) AS n FROM request`) };
    const result = await importRequests([history]);
    expect(result.errors).toBeUndefined();
    const { imported, skipped, continued } = result.data!.importRequests;
    expect(skipped).toEqual([]);
    const [closed] = imported;
    const [created] = continued;
    expect(imported).toHaveLength(1);
    expect(continued).toHaveLength(1);
    expect(closed).toMatchObject({
      status: 'CLOSED',
      completionReason: 'SOLVED',
      closedAt: '2026-11-25T11:00:00.000Z',
    });
    expect(created).toMatchObject({
      title: 'Payroll run for temporary staff',
      type: 'INCIDENT',
      status: 'REGISTERED',
      registeredAt: '2026-11-25T11:00:00.000Z',
      followUpOf: { id: closed.id, number: closed.number },
    });
    // The closing text names the new request; its number is the next of the year, right after the old one's.
    expect(closed.replies.at(-1)).toMatchObject({ kind: 'CLOSING_TEXT', createdAt: '2026-11-25T11:00:00.000Z' });
    expect(closed.replies.at(-1)?.body).toContain(created.number);
    const counter = (n: string) => Number(n.slice(-6));
    expect(counter(created.number)).toBe(counter(closed.number) + 1);
    const lastNumber = (await ts.stack.services.requests
      .runtime()
      .dataSource.query(`SELECT last_number FROM request_number_counter WHERE year = 2026`)) as {
      last_number: number;
    }[];
    expect(Number(lastNumber[0].last_number)).toBe(counter(created.number));
    expect(await count(`SELECT count(*) AS n FROM request`)).toBe(before.requests + 2);

    // What a user reads of both, and the events, are those of the lived pair (ids and numbers aside).
    const hasSla = (r: ImportedRequestFragment) => (r.sla?.targets ?? []).length > 0;
    const settled = (r: ImportedRequestFragment) =>
      hasSla(r) && (r.sla?.targets ?? []).every((t) => t.state !== 'RUNNING');
    const pair = async (oldId: string, newId: string) => ({
      old: await waitFor(() => read(oldId), settled, { what: 'the closed request’s SLA targets settled' }),
      new: await waitFor(() => read(newId), hasSla, { what: 'the new request tracked by the SLA service' }),
    });
    const livedPair = await pair(lived.id, livedNew.id);
    const importedPair = await pair(closed.id, created.id);
    const anonymous = (p: typeof livedPair) => {
      let text = JSON.stringify(p);
      for (const [value, name] of [
        [p.old.id, '<old id>'],
        [p.new.id, '<new id>'],
        [p.old.number, '<old number>'],
        [p.new.number, '<new number>'],
      ])
        text = text.replaceAll(value, name);
      return JSON.parse(text) as unknown;
    };
    expect(anonymous(importedPair)).toEqual(anonymous(livedPair));
    const events = async (p: typeof livedPair) => {
      const rows = (await ts.stack.services.requests
        .runtime()
        .dataSource.query(
          `SELECT message_key, event_type, envelope->'data' AS data FROM outbox WHERE message_key = ANY($1) ORDER BY seq`,
          [[p.old.id, p.new.id]],
        )) as { message_key: string; event_type: string; data: Record<string, unknown> }[];
      return anonymous({
        ...p,
        events: rows.map((r) => ({
          key: r.message_key,
          type: r.event_type,
          data: { ...r.data, replyId: undefined, bookingId: undefined },
        })),
      } as typeof livedPair);
    };
    expect(await events(importedPair)).toEqual(await events(livedPair));

    // Again: skipped, with the new request it continued as; nothing added.
    const requestsBefore = await count(`SELECT count(*) AS n FROM request`);
    const again = await importRequests([history]);
    expect(again.data?.importRequests).toEqual({
      imported: [],
      continued: [],
      skipped: [{ importKey: 'OLD-4712', request: { id: closed.id }, continuedAs: { id: created.id } }],
    });
    expect(await count(`SELECT count(*) AS n FROM request`)).toBe(requestsBefore);

    // A step after it is no step of this history: the call is rejected, naming it, and writes nothing.
    const written = {
      requests: await count(`SELECT count(*) AS n FROM request`),
      outbox: await count(`SELECT count(*) AS n FROM outbox`),
      numbers: lastNumber[0].last_number,
    };
    const further = {
      ...history,
      importKey: 'OLD-4713',
      steps: [
        ...lifeSteps,
        { at: '2026-11-25T12:00:00Z', by: 'p-anna', mutation: 'ADD_REPLY', input: { body: 'Registered anew.' } },
      ],
    };
    const rejected = await importRequests([{ ...history, importKey: 'OLD-4714' }, further]);
    expect(rejected.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: `input.requests.1.steps.${lifeSteps.length}` },
    });
    expect(rejected.errors?.[0].message).toMatch(/OLD-4713: .*TREAT_AS_NEW_REQUEST/);
    const lastAfter = (await ts.stack.services.requests
      .runtime()
      .dataSource.query(`SELECT last_number FROM request_number_counter WHERE year = 2026`)) as {
      last_number: number;
    }[];
    expect({
      requests: await count(`SELECT count(*) AS n FROM request`),
      outbox: await count(`SELECT count(*) AS n FROM outbox`),
      numbers: lastAfter[0].last_number,
    }).toEqual(written);
  }, 60_000);

  it('follows up a new request that waits for the customer as live: reminded and closed by the import time', async () => {
    // Treated as new on Tuesday 3 November without the screenshot: the new incident goes back to the customer.
    const early = (s: { at: string }) => ({ ...s, at: s.at.replace('-16T', '-02T').replace('-17T', '-03T') });
    const result = await importRequests([
      {
        importKey: 'OLD-4715',
        registeredAt: '2026-11-02T08:00:00Z',
        registeredBy: 'u-acme',
        registration: incident,
        steps: [
          ...steps.filter((s) => s.mutation !== 'BOOK_TIME' && s.mutation !== 'ANSWER_SURVEY').map(early),
          { at: '2026-11-03T10:00:00Z', by: 'u-acme', mutation: 'REOPEN_REQUEST', input: { message: 'Another one.' } },
          {
            at: '2026-11-03T11:00:00Z',
            by: 'p-anna',
            mutation: 'TREAT_AS_NEW_REQUEST',
            input: { title: 'Payslips of temporary staff', description: 'Payslips are empty.', carryEvidence: [] },
          },
        ],
      },
    ]);
    expect(result.errors).toBeUndefined();
    const [created] = result.data!.importRequests.continued;
    expect(created).toMatchObject({
      status: 'CLOSED',
      completionReason: 'NO_REPLY',
      closedAt: '2026-11-16T11:00:00.000Z',
    });
    expect(created.replies.map((r) => [r.kind, r.createdAt])).toEqual([
      ['INFORMATION_REQUEST', '2026-11-03T11:00:00.000Z'],
      ['REMINDER', '2026-11-06T11:00:00.000Z'],
      ['REMINDER', '2026-11-11T11:00:00.000Z'],
      ['CLOSING_TEXT', '2026-11-16T11:00:00.000Z'],
    ]);
    expect(await count(`SELECT count(*) AS n FROM timer WHERE key = '${created.id}'`)).toBe(0);
  });
});
