import { RACI_MATRIX, ROLES, actorsOf, rolesWith, type Role } from '@servicecenter/platform-auth';
import { TestClock, waitFor, type GraphResponse } from '@servicecenter/testing';
import {
  CONSULTED_ONLY,
  CONTRIBUTIONS,
  PERMISSION_OPERATION,
  RACI_ROWS,
  type RequestPermission,
  type RequestRaciRow,
} from '@servicecenter/requests';
import { createDesk } from '../testing/desk-fixture';
import { startTestStack, type TestStack } from '../testing/test-stack';

// Stays on string operations: the row walk builds each operation from the RACI matrix at run time.
/**
 * The row walk of raci.csv for the request processes (incident, change, information,
 * application_service), through the gateway, data-driven from RACI_MATRIX and the rows the
 * requests service declares (apps/requests/src/domain/raci-rows.ts).
 *
 * The expectation is computed here from the matrix itself, not from the service's rights
 * table: on a request of the row's type, the R and A of every row that carries a permission
 * may use it, the C where it is input to the step (a reply, an update, product development's
 * answer), and the roles a row names as an exception; every other role is refused
 * (FORBIDDEN, or NOT_FOUND for a role that may not even read the request). After the step,
 * every role Informed (I) in those rows can read the request; rows 24 and 71 also notify the
 * PD change coordinator. Rows the system carries by itself (automatic) are walked in their
 * own specs (reminders, completeness, SLA); they have no caller to check.
 */

type RequestType = 'INCIDENT' | 'CHANGE' | 'INFORMATION' | 'APPLICATION_SERVICE';
const TYPE_OF_PROCESS: Record<string, RequestType> = {
  incident: 'INCIDENT',
  change: 'CHANGE',
  information: 'INFORMATION',
  application_service: 'APPLICATION_SERVICE',
};

/** Who calls in each role: people of the desk fixture (Acme is organisation A; team Payroll handles the product). */
const CALLER: Record<Role, { sub: string; customerId?: string }> = {
  customer: { sub: 'u-acme', customerId: 'cust-acme' },
  support_consultant: { sub: 'p-anna' },
  team_lead: { sub: 'p-lead' },
  manager_service_center: { sub: 'p-msc' },
  service_manager: { sub: 'p-sm' }, // Acme's service manager: reads Acme's requests
  manager_service_management: { sub: 'p-msm' },
  customer_success_manager: { sub: 'x-csm' },
  csm_director: { sub: 'x-csm-director' },
  customer_success_director: { sub: 'x-cs-director' },
  pd_change_coordinator: { sub: 'p-pd' },
  pd_product_owner: { sub: 'p-po' },
  product_manager: { sub: 'x-product-manager' },
  productline_manager: { sub: 'x-productline-manager' },
  development_manager: { sub: 'x-development-manager' },
  labs_director: { sub: 'x-labs-director' },
  uat_coordinator: { sub: 'p-uat' },
  admin: { sub: 'x-admin' },
};

const processOf = (row: RequestRaciRow) => RACI_MATRIX[row.row - 1].process;

/** The matrix's answer for one permission on one request type. */
function expectation(type: RequestType, permission: RequestPermission) {
  const rows = RACI_ROWS.filter((r) => TYPE_OF_PROCESS[processOf(r)] === type && r.permissions.includes(permission));
  const allowed = new Set<Role>();
  const informed = new Set<Role>();
  for (const r of rows) {
    if (!CONSULTED_ONLY.includes(permission)) actorsOf(r.row).forEach((role) => allowed.add(role));
    if (CONTRIBUTIONS.includes(permission) || CONSULTED_ONLY.includes(permission))
      rolesWith(r.row, ['C']).forEach((role) => allowed.add(role));
    for (const e of r.exceptions ?? []) if (e.as === 'act') allowed.add(e.role);
    rolesWith(r.row, ['I']).forEach((role) => informed.add(role));
  }
  return { rows: rows.map((r) => r.row), allowed: ROLES.filter((r) => allowed.has(r)), informed: [...informed] };
}

interface Ref {
  id: string;
  number: string;
  status: string;
}
const REF = 'id number status';

const screenshot = { kind: 'SCREENSHOT', name: 'error.png', contentType: 'image/png', sizeBytes: 48213 };
/** Complete registrations of organisation A for product Payroll Cloud (team Payroll). */
const REGISTRATION: Record<RequestType, Record<string, unknown>> = {
  INCIDENT: {
    type: 'INCIDENT',
    title: 'Payroll run stops at step 3',
    description: 'Starting the November payroll run stops at step 3 with error PR-500 for every employee.',
    businessImpact: 'Salaries of 1,200 employees cannot be paid on Friday.',
    evidence: [screenshot],
    requestedPriority: 'HIGH',
    productId: 'prod-payroll',
  },
  CHANGE: {
    type: 'CHANGE',
    title: 'Add a cost-centre column to the payslip',
    description: 'Show the cost centre of each employee on the payslip PDF, right of the department.',
    businessImpact: 'Controllers reconcile 300 payslips by hand every month.',
    requestedPriority: 'MEDIUM',
    productId: 'prod-payroll',
  },
  INFORMATION: {
    type: 'INFORMATION',
    title: 'How is holiday pay reserved?',
    description: 'Which wage components count for the 8% holiday pay reservation in Payroll Cloud?',
    requestedPriority: 'LOW',
    productId: 'prod-payroll',
  },
  APPLICATION_SERVICE: {
    type: 'APPLICATION_SERVICE',
    title: 'Mass salary increase 2%',
    description: 'Apply a 2% increase to all employees of cost centre 100 from January.',
    requestedPriority: 'HIGH',
    productId: 'prod-payroll',
  },
};

const inputType = (mutation: string) =>
  mutation === 'acceptRequest' || mutation === 'startHandling'
    ? 'RequestStepInput'
    : `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
const codeOf = (result: GraphResponse<unknown>) =>
  result.errors?.length ? String(result.errors[0].extensions?.code ?? 'NO_CODE') : 'OK';
const REFUSED = new Set(['FORBIDDEN', 'NOT_FOUND']);

describe('raci.csv rows 1–93 (request processes) through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-11-23T09:00:00Z'); // a Monday
  const tokens = {} as Record<Role, string>;

  const call = (mutation: string, input: Record<string, unknown>, token: string, select = '__typename') =>
    ts.client.request(
      `mutation($input: ${inputType(mutation)}!) { ${mutation}(input: $input) { ${select} } }`,
      {
        input,
      },
      token,
    );
  /** A step of the set-up, by the role that is Responsible for it on every type: the support consultant (or the customer). */
  const step = async (ref: Ref, mutation: string, input: Record<string, unknown>, who: Role = 'support_consultant') => {
    const data = await ts.client.ok<Record<string, { request: Ref }>>(
      `mutation($input: ${inputType(mutation)}!) { ${mutation}(input: $input) { request { ${REF} } } }`,
      { input: { requestId: ref.id, ...input } },
      tokens[who],
    );
    return data[mutation].request;
  };
  const register = async (type: RequestType): Promise<Ref> =>
    (
      await ts.client.ok<{ registerRequest: { request: Ref } }>(
        `mutation($input: RegisterRequestInput!) { registerRequest(input: $input) { request { ${REF} } } }`,
        { input: REGISTRATION[type] },
        tokens.customer,
      )
    ).registerRequest.request;

  /** Requests of each type in the state a step needs, built by the roles Responsible for the steps before. */
  const given = {
    registered: (t: RequestType) => register(t),
    prioritised: async (t: RequestType) =>
      step(await register(t), 'prioritiseRequest', { priority: REGISTRATION[t].requestedPriority }),
    accepted: async (t: RequestType) => step(await given.prioritised(t), 'acceptRequest', {}),
    inHandling: async (t: RequestType) => step(await given.accepted(t), 'startHandling', {}),
    handedOver: async (t: RequestType) =>
      step(await given.inHandling(t), 'handOverRequest', {
        target: t === 'APPLICATION_SERVICE' ? 'CONSULTING' : 'PRODUCT_DEVELOPMENT',
        note: 'Reproduced on the acceptance environment.',
      }),
    solutionProposed: async (t: RequestType) =>
      t === 'APPLICATION_SERVICE'
        ? step(await given.inHandling(t), 'executeMutation', { executedBy: 'ROBOT', description: 'Applied to 214.' })
        : step(await given.inHandling(t), 'proposeSolution', { solution: 'Re-import the tables, then restart.' }),
    closed: async (t: RequestType) => step(await register(t), 'closeRequest', { reason: 'DUPLICATE' }),
    reopened: async (t: RequestType) =>
      step(await given.closed(t), 'reopenRequest', { message: 'The same question came back.' }, 'customer'),
    asked: async (t: RequestType) => {
      const request = await given.inHandling(t);
      const data = await ts.client.ok<{ askProductDevelopment: { questionId: string } }>(
        `mutation($input: AskProductDevelopmentInput!) { askProductDevelopment(input: $input) { questionId } }`,
        { input: { requestId: request.id, question: 'Does the reservation include the 13th month?' } },
        tokens.support_consultant,
      );
      return { ...request, questionId: data.askProductDevelopment.questionId };
    },
  };

  /** Per permission: the state it needs and a valid input. */
  const SCENARIO: Record<
    RequestPermission,
    {
      given: (t: RequestType) => Promise<(Ref & { questionId?: string }) | null>;
      input: (r: Ref & { questionId?: string }, t: RequestType) => Record<string, unknown>;
    }
  > = {
    REGISTER: { given: async () => null, input: (_, t) => ({ ...REGISTRATION[t], customerId: 'cust-acme' }) },
    UPDATE: { given: given.registered, input: () => ({ message: 'The December run stops too.' }) },
    REPLY: { given: given.registered, input: () => ({ body: 'Any news?' }) },
    ADD_NOTE: {
      // on a request handed over to product development where there is one, so the change coordinator's exception shows
      given: (t) => (t === 'INCIDENT' || t === 'CHANGE' ? given.handedOver(t) : given.inHandling(t)),
      input: () => ({ body: 'Looks like the tax import.', internal: true }),
    },
    REQUEST_INFORMATION: { given: given.registered, input: () => ({ missing: ['The employee number'] }) },
    ASSIGN: { given: given.registered, input: () => ({ teamId: 'team-payroll', assigneeId: 'p-anna' }) },
    PRIORITISE: { given: given.registered, input: (_, t) => ({ priority: REGISTRATION[t].requestedPriority }) },
    SEND_IN_HANDLING_NOTICE: { given: given.registered, input: () => ({}) },
    ACCEPT: { given: given.prioritised, input: () => ({}) },
    START_HANDLING: { given: given.accepted, input: () => ({}) },
    HAND_OVER: {
      given: given.inHandling,
      input: (_, t) => ({
        target: t === 'APPLICATION_SERVICE' ? 'CONSULTING' : 'PRODUCT_DEVELOPMENT',
        note: 'Needs a fix in the product.',
      }),
    },
    LINK_CHANGE: { given: given.handedOver, input: () => ({ changeRef: 'PD-RACI', kind: 'BUG' }) },
    PROPOSE_SOLUTION: { given: given.inHandling, input: () => ({ solution: 'Re-import the tax tables.' }) },
    EXECUTE_MUTATION: { given: given.inHandling, input: () => ({ executedBy: 'HAND', description: 'Applied.' }) },
    ACCEPT_SOLUTION: { given: given.solutionProposed, input: () => ({ accepted: true }) },
    REJECT_SOLUTION: { given: given.solutionProposed, input: () => ({ accepted: false, comment: 'Still wrong.' }) },
    CLOSE: { given: given.registered, input: () => ({ reason: 'WITHDRAWN' }) },
    REOPEN: { given: given.closed, input: () => ({ message: 'The same error is back.' }) },
    TREAT_AS_NEW: {
      given: given.reopened,
      input: () => ({ title: 'A different question', description: 'How do I import a journal?' }),
    },
    BOOK_TIME: { given: given.registered, input: () => ({ hours: 0.5, workDate: '2026-11-23' }) },
    ASK_PRODUCT_DEVELOPMENT: { given: given.inHandling, input: () => ({ question: 'Is the 13th month included?' }) },
    ANSWER_PRODUCT_DEVELOPMENT_QUESTION: {
      given: given.asked,
      input: (r) => ({ questionId: r.questionId, answer: 'Yes, since release 2026.3.' }),
    },
  };

  const walk = (['INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE'] as const).flatMap((type) =>
    (Object.keys(PERMISSION_OPERATION) as RequestPermission[])
      .map((permission) => ({ type, permission, ...expectation(type, permission) }))
      .filter((c) => c.rows.length > 0),
  );

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    for (const role of ROLES) tokens[role] = await ts.client.token(role, { ...CALLER[role], name: CALLER[role].sub });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('walks every row of the four processes the requests service declares with operations', () => {
    const walked = new Set(walk.flatMap((c) => c.rows));
    const withOperations = RACI_ROWS.filter((r) => r.operations.length > 0).map((r) => r.row);
    expect(withOperations.filter((row) => !walked.has(row))).toEqual([]);
  });

  it.each(walk.map((c) => [`${c.type} ${c.permission} (rows ${c.rows.join(', ')})`, c] as const))(
    '%s: R/A (C for input, named exceptions) may, everyone else is refused, the Informed read it',
    async (_, c) => {
      const scenario = SCENARIO[c.permission];
      const operation = PERMISSION_OPERATION[c.permission];
      const outcome: Record<string, string> = {};
      // The refused roles share one request: a refusal changes nothing.
      const shared = await scenario.given(c.type);
      for (const role of ROLES.filter((r) => !c.allowed.includes(r))) {
        const input = shared
          ? { requestId: shared.id, ...scenario.input(shared, c.type) }
          : scenario.input({} as Ref, c.type);
        const code = codeOf(await call(operation, input, tokens[role]));
        outcome[role] = REFUSED.has(code) ? 'refused' : code;
      }
      let after: Ref | null = null;
      for (const role of c.allowed) {
        const request = await scenario.given(c.type);
        const input = request
          ? { requestId: request.id, ...scenario.input(request, c.type) }
          : scenario.input({} as Ref, c.type);
        // Every payload has the request (treatAsNewRequest: the closed one and the new one).
        const select = c.permission === 'TREAT_AS_NEW' ? 'closedRequest { id }' : 'request { id }';
        const result = await call(operation, input, tokens[role], select);
        const code = codeOf(result);
        outcome[role] = code === 'OK' ? 'did it' : `${code}: ${result.errors?.[0].message}`;
        if (code === 'OK' && !after) {
          const data = result.data as Record<string, { request?: Ref; closedRequest?: Ref }>;
          after = data[operation].request ?? data[operation].closedRequest ?? null;
        }
      }
      expect(outcome).toEqual(
        Object.fromEntries(ROLES.map((role) => [role, c.allowed.includes(role) ? 'did it' : 'refused'])),
      );
      // Informed: each I of the rows reads the request after the step.
      if (after)
        for (const role of c.informed) {
          const read = await ts.client.ok<{ request: { id: string } | null }>(
            `query($id: ID!) { request(id: $id) { id } }`,
            { id: after.id },
            tokens[role],
          );
          expect({ role, reads: read.request?.id === after.id }).toEqual({ role, reads: true });
        }
    },
  );

  const notificationsOf = async (role: Role, link: string) =>
    (
      await ts.client.ok<{ myNotifications: { nodes: { kind: string; link: string }[] } }>(
        `{ myNotifications(first: 50) { nodes { kind link } } }`,
        {},
        tokens[role],
      )
    ).myNotifications.nodes
      .filter((n) => n.link === link)
      .map((n) => n.kind);

  it('row 24: the PD change coordinator is notified of the hand-over and writes in the request (row 25)', async () => {
    const request = await given.handedOver('INCIDENT');
    await waitFor(
      () => notificationsOf('pd_change_coordinator', `request:${request.id}`),
      (kinds) => kinds.includes('HANDED_OVER_TO_PRODUCT_DEVELOPMENT'),
      { what: 'the hand-over notification' },
    );
    expect(await notificationsOf('customer', `request:${request.id}`)).toContain('HANDED_OVER_TO_PRODUCT_DEVELOPMENT');
    await step(
      request,
      'addReply',
      { body: 'Fixed in PD-2417, planned for sprint 48.', internal: true },
      'pd_change_coordinator',
    );
    const replies = await ts.client.ok<{ request: { replies: { body: string; visibility: string }[] } }>(
      `query($id: ID!) { request(id: $id) { replies { body visibility } } }`,
      { id: request.id },
      tokens.support_consultant,
    );
    expect(replies.request.replies).toContainEqual({
      body: 'Fixed in PD-2417, planned for sprint 48.',
      visibility: 'INTERNAL',
    });
    // …and not as a public reply to the customer
    expect(
      codeOf(await call('addReply', { requestId: request.id, body: 'Hello customer' }, tokens.pd_change_coordinator)),
    ).toBe('FORBIDDEN');
  });

  it('row 71: the desk asks product development, the change coordinator is notified, reads and answers; the desk sees the answer, the customer does not', async () => {
    const request = await given.inHandling('INFORMATION');
    const pdRead = async () =>
      (
        await ts.client.ok<{ request: { id: string } | null }>(
          `query($id: ID!) { request(id: $id) { id } }`,
          { id: request.id },
          tokens.pd_change_coordinator,
        )
      ).request;
    expect(await pdRead()).toBeNull();
    const asked = await ts.client.ok<{
      askProductDevelopment: { questionId: string; request: { productDevelopmentAskedAt: string } };
    }>(
      `mutation($input: AskProductDevelopmentInput!) { askProductDevelopment(input: $input) { questionId request { productDevelopmentAskedAt } } }`,
      { input: { requestId: request.id, question: 'Does the reservation include the 13th month?' } },
      tokens.support_consultant,
    );
    expect(asked.askProductDevelopment.request.productDevelopmentAskedAt).toBe('2026-11-23T09:00:00.000Z');
    expect(await pdRead()).toEqual({ id: request.id });
    await waitFor(
      () => notificationsOf('pd_change_coordinator', `request:${request.id}`),
      (kinds) => kinds.includes('PRODUCT_DEVELOPMENT_ASKED'),
      { what: 'the question notification' },
    );
    const answered = await ts.client.ok<{ answerProductDevelopmentQuestion: { answerId: string } }>(
      `mutation($input: AnswerProductDevelopmentQuestionInput!) { answerProductDevelopmentQuestion(input: $input) { answerId } }`,
      {
        input: {
          requestId: request.id,
          questionId: asked.askProductDevelopment.questionId,
          answer: 'Yes, since release 2026.3.',
        },
      },
      tokens.pd_change_coordinator,
    );
    expect(answered.answerProductDevelopmentQuestion.answerId).toEqual(expect.any(String));
    const replies = async (role: Role) =>
      (
        await ts.client.ok<{ request: { replies: { kind: string; body: string }[] } }>(
          `query($id: ID!) { request(id: $id) { replies { kind body } } }`,
          { id: request.id },
          tokens[role],
        )
      ).request.replies.filter((r) => r.kind.startsWith('PRODUCT_DEVELOPMENT'));
    expect(await replies('support_consultant')).toEqual([
      { kind: 'PRODUCT_DEVELOPMENT_QUESTION', body: 'Does the reservation include the 13th month?' },
      { kind: 'PRODUCT_DEVELOPMENT_ANSWER', body: 'Yes, since release 2026.3.' },
    ]);
    expect(await replies('customer')).toEqual([]);
    await waitFor(
      () => notificationsOf('support_consultant', `request:${request.id}`),
      (kinds) => kinds.includes('PRODUCT_DEVELOPMENT_ANSWERED'),
      { what: 'the answer notification to the consultant who asked' },
    );
    // Answered once; a second answer is a CONFLICT
    const again = await call(
      'answerProductDevelopmentQuestion',
      { requestId: request.id, questionId: asked.askProductDevelopment.questionId, answer: 'More.' },
      tokens.pd_change_coordinator,
    );
    expect(codeOf(again)).toBe('CONFLICT');
  });

  it('treatAsNewRequest carries the evidence and business impact over: the follow-up incident passes the completeness check', async () => {
    const reopened = await given.reopened('INCIDENT');
    const data = await ts.client.ok<{
      treatAsNewRequest: {
        request: { status: string; missingInformation: string[]; businessImpact: string; evidence: { name: string }[] };
      };
    }>(
      `mutation($input: TreatAsNewRequestInput!) { treatAsNewRequest(input: $input) { request { status missingInformation businessImpact evidence { name } } } }`,
      {
        input: {
          requestId: reopened.id,
          title: 'Payroll run stops at step 4',
          description: 'After the fix the November run now stops at step 4 with error PR-512 for every employee.',
        },
      },
      tokens.support_consultant,
    );
    expect(data.treatAsNewRequest.request).toEqual({
      status: 'REGISTERED',
      missingInformation: [],
      businessImpact: 'Salaries of 1,200 employees cannot be paid on Friday.',
      evidence: [{ name: 'error.png' }],
    });
  });
});
