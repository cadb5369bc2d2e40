import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { Kind, parse, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { ROLES, type Role } from '@servicecenter/platform-auth';
import { TestClock, type GraphResponse } from '@servicecenter/testing';
import { createDesk } from '../testing/desk-fixture';
import { startTestStack, type TestStack } from '../testing/test-stack';

/**
 * The authorisation matrix of the request lifecycle, through the gateway: every role of
 * ROLES against every request mutation of the SDL, and the walls between organisations.
 *
 * How a call is judged. The server checks, in this order: input validation (BAD_USER_INPUT),
 * is the request visible to the caller (NOT_FOUND if not), the caller's right (FORBIDDEN),
 * the state machine (INVALID_TRANSITION), then the domain rules. A call is REFUSED when it
 * ends in FORBIDDEN, NOT_FOUND or UNAUTHENTICATED, and ALLOWED otherwise. Every call gets
 * valid input on a request in a state where the mutation is possible, so an allowed call
 * must also succeed; a role that was allowed gets a fresh request for the next role, and a
 * refused call must leave the request as it was.
 */

// ---------------------------------------------------------------------------------------
// The expected matrix for an incident (the rows of process incident in raci.csv; the walk of
// every row and type is raci-requests.e2e.spec.ts), written by hand:
// - customer (organisation A's requests only): registers, updates, replies, reacts to the
//   solution (rows 1, 10, 23), withdraws and reopens (named exceptions);
// - support_consultant, team_lead (their own team's products; both are in team Payroll):
//   intake (rows 2–14: consultant R, team lead A); the team lead covers handling by exception;
//   the team lead neither records the customer's agreement (row 29) nor closes (row 31);
// - manager_service_center: handling and closing only (rows 15–31: A), no intake (rows 1–14);
// - pd_change_coordinator: links a change to a handed-over request (exception on row 25);
// - service_manager, manager_service_management: nothing (rows 20, 69 give them no letter);
// - admin: imports histories (importRequests), nothing else;
// - everyone else (customer_success_manager, directors, product development, UAT): nothing.
// The information request of askProductDevelopment: consultant R, team lead A (row 71); the
// answer is the Consulted PD change coordinator's.
// ---------------------------------------------------------------------------------------

const MATRIX_ROWS = [
  'registerRequest',
  'updateRequest',
  'requestInformation',
  'assignRequest',
  'prioritiseRequest',
  'sendInHandlingNotice',
  'acceptRequest',
  'startHandling',
  'handOverRequest',
  'linkChange',
  'proposeSolution',
  'executeMutation',
  'respondToSolution',
  'closeRequest',
  'reopenRequest',
  'treatAsNewRequest',
  'addReply (public)',
  'addReply (internal)',
  'bookTime',
  'answerSurvey',
  'importRequests',
  'askProductDevelopment',
  'answerProductDevelopmentQuestion',
] as const;
type MatrixRow = (typeof MATRIX_ROWS)[number];

const SC: Role = 'support_consultant';
const TL: Role = 'team_lead';
const MSC: Role = 'manager_service_center';
const ALLOWED: Record<MatrixRow, readonly Role[]> = {
  registerRequest: ['customer', SC, TL],
  updateRequest: ['customer', SC, TL],
  requestInformation: [SC, TL, MSC],
  assignRequest: [SC, TL],
  prioritiseRequest: [SC, TL],
  sendInHandlingNotice: [SC, TL],
  acceptRequest: [SC, TL],
  startHandling: [SC, TL, MSC],
  handOverRequest: [SC, TL, MSC],
  linkChange: [SC, TL, MSC, 'pd_change_coordinator'],
  proposeSolution: [SC, TL, MSC],
  executeMutation: [SC, TL], // application service: rows 91, 92
  respondToSolution: ['customer', SC, MSC],
  closeRequest: ['customer', SC, MSC],
  reopenRequest: ['customer', SC, TL],
  treatAsNewRequest: [SC, TL],
  'addReply (public)': ['customer', SC, TL, MSC],
  'addReply (internal)': [SC, TL, MSC],
  bookTime: [SC, TL, MSC],
  answerSurvey: ['customer'],
  importRequests: ['admin'],
  askProductDevelopment: [SC, TL],
  answerProductDevelopmentQuestion: ['pd_change_coordinator'],
};

/**
 * Who calls in each role. Organisation A is Acme (cust-acme), B is Globex (cust-globex).
 * People of the desk fixture where it has them; the customer_success_manager gets a
 * directory record below (the CSM is Acme's, so they read
 * Acme's requests and still may not act); the other roles have no directory record.
 */
const CALLER: Record<Role, { sub: string; customerId?: string }> = {
  customer: { sub: 'u-acme', customerId: 'cust-acme' },
  support_consultant: { sub: 'p-anna' }, // team Payroll
  team_lead: { sub: 'p-lead' }, // lead of team Payroll
  manager_service_center: { sub: 'p-msc' },
  service_manager: { sub: 'p-sm' }, // Acme's service manager (not Globex's)
  manager_service_management: { sub: 'p-msm' },
  customer_success_manager: { sub: 'p-csm' }, // Acme's customer success manager
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

const PRODUCT_DEVELOPMENT: readonly Role[] = [
  'pd_change_coordinator',
  'pd_product_owner',
  'product_manager',
  'productline_manager',
  'development_manager',
  'labs_director',
];
const REFUSED = new Set(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED']);

const screenshot = { kind: 'SCREENSHOT', name: 'error.png', contentType: 'image/png', sizeBytes: 48213 };
/** Complete, so it registers as REGISTERED in team Payroll (product Payroll Cloud). */
const INCIDENT = {
  type: 'INCIDENT',
  title: 'Payroll run stops at step 3',
  description: 'Starting the November payroll run stops at step 3 with error PR-500 for every employee.',
  businessImpact: 'Salaries of 1,200 employees cannot be paid on Friday.',
  evidence: [screenshot],
  requestedPriority: 'HIGH',
  productId: 'prod-payroll',
};
const INFORMATION = {
  type: 'INFORMATION',
  title: 'How is holiday pay reserved?',
  description: 'Which wage components count for the 8% holiday pay reservation?',
  requestedPriority: 'HIGH', // the priority the set-up gives every request
  productId: 'prod-payroll',
};
const APPLICATION_SERVICE = {
  type: 'APPLICATION_SERVICE',
  title: 'Mass salary increase 2%',
  description: 'Apply a 2% increase to all employees of cost centre 100 from January.',
  requestedPriority: 'HIGH',
  productId: 'prod-payroll',
};

interface Ref {
  id: string;
  number: string;
  version: number;
  status: string;
  /** The question to product development asked on it (askProductDevelopment), if any. */
  questionId?: string;
}
const REF = 'id number version status';

const inputTypeOf = (mutation: string) =>
  mutation === 'acceptRequest' || mutation === 'startHandling'
    ? 'RequestStepInput'
    : `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
const codeOf = (result: GraphResponse<unknown>) =>
  result.errors?.length ? String(result.errors[0].extensions?.code ?? 'NO_CODE') : 'OK';

describe('request authorisation through the gateway', () => {
  let ts: TestStack;
  const clock = new TestClock('2026-11-23T09:00:00Z'); // a Monday
  const tokens = {} as Record<Role | 'globex' | 'bram' | 'leadHr', string>;

  const sql = <T>(query: string, params: unknown[] = []): Promise<T[]> =>
    ts.stack.services.requests.runtime().dataSource.query(query, params);
  const call = (mutation: string, input: Record<string, unknown>, token: string | undefined) =>
    ts.client.request(
      `mutation($input: ${inputTypeOf(mutation)}!) { ${mutation}(input: $input) { __typename } }`,
      { input },
      token,
    );

  /** A step by the support consultant (Responsible for nearly every step) to bring a request into a state. */
  const desk = async (
    ref: Ref,
    mutation: string,
    input: Record<string, unknown>,
    who: Role = 'support_consultant',
  ): Promise<Ref> => {
    const data = await ts.client.ok<Record<string, { request: Ref }>>(
      `mutation($input: ${inputTypeOf(mutation)}!) { ${mutation}(input: $input) { request { ${REF} } } }`,
      { input: { requestId: ref.id, ...input } },
      tokens[who],
    );
    return data[mutation].request;
  };
  const register = async (input: Record<string, unknown> = INCIDENT, token = tokens.customer): Promise<Ref> => {
    const data = await ts.client.ok<{ registerRequest: { request: Ref } }>(
      `mutation($input: RegisterRequestInput!) { registerRequest(input: $input) { request { ${REF} } } }`,
      { input },
      token,
    );
    return data.registerRequest.request;
  };

  /** Organisation A's requests in the state each mutation needs. */
  const given = {
    registered: () => register(INCIDENT),
    prioritised: async (input: Record<string, unknown> = INCIDENT) =>
      desk(await register(input), 'prioritiseRequest', { priority: 'HIGH' }),
    accepted: async (input: Record<string, unknown> = INCIDENT) =>
      desk(await given.prioritised(input), 'acceptRequest', {}),
    inHandling: async (input: Record<string, unknown> = INCIDENT) =>
      desk(await given.accepted(input), 'startHandling', {}),
    handedOver: async () =>
      desk(await given.inHandling(), 'handOverRequest', {
        target: 'PRODUCT_DEVELOPMENT',
        note: 'Defect in the tax table import.',
      }),
    solutionProposed: async () =>
      desk(await given.inHandling(), 'proposeSolution', {
        solution: 'Re-import the tax tables, then restart the run.',
      }),
    closed: async () => desk(await given.registered(), 'closeRequest', { reason: 'DUPLICATE' }),
    reopened: async () => desk(await given.closed(), 'reopenRequest', { message: 'The same error came back.' }),
    solved: async () => desk(await given.solutionProposed(), 'respondToSolution', { accepted: true }),
    asked: async () => {
      const request = await given.inHandling(INFORMATION);
      const data = await ts.client.ok<{ askProductDevelopment: { questionId: string } }>(
        `mutation($input: AskProductDevelopmentInput!) { askProductDevelopment(input: $input) { questionId } }`,
        { input: { requestId: request.id, question: 'Is the 13th month included?' } },
        tokens.support_consultant,
      );
      return { ...request, questionId: data.askProductDevelopment.questionId };
    },
  };

  /** One row of the matrix: the mutation, the state it is valid in, and a valid input. */
  interface Row {
    mutation: string;
    given: () => Promise<Ref | null>;
    input: (request: Ref | null) => Record<string, unknown>;
  }
  const on = (request: Ref | null) => ({ requestId: request?.id });
  let imports = 0;
  const ROWS: Record<MatrixRow, Row> = {
    registerRequest: {
      mutation: 'registerRequest',
      given: async () => null,
      input: () => ({ ...INCIDENT, customerId: 'cust-acme' }),
    },
    updateRequest: {
      mutation: 'updateRequest',
      given: given.registered,
      input: (r) => ({ ...on(r), message: 'The December run stops too.' }),
    },
    requestInformation: {
      mutation: 'requestInformation',
      given: given.registered,
      input: (r) => ({ ...on(r), missing: ['The employee number of one affected employee'] }),
    },
    assignRequest: {
      mutation: 'assignRequest',
      given: given.registered,
      input: (r) => ({ ...on(r), teamId: 'team-payroll', assigneeId: 'p-anna' }),
    },
    prioritiseRequest: {
      mutation: 'prioritiseRequest',
      given: given.registered,
      input: (r) => ({ ...on(r), priority: 'HIGH', category: 'payroll-run' }),
    },
    sendInHandlingNotice: { mutation: 'sendInHandlingNotice', given: given.registered, input: (r) => on(r) },
    acceptRequest: { mutation: 'acceptRequest', given: () => given.prioritised(), input: (r) => on(r) },
    startHandling: { mutation: 'startHandling', given: () => given.accepted(), input: (r) => on(r) },
    handOverRequest: {
      mutation: 'handOverRequest',
      given: () => given.inHandling(),
      input: (r) => ({ ...on(r), target: 'PRODUCT_DEVELOPMENT', note: 'Reproduced on acceptance.' }),
    },
    linkChange: {
      mutation: 'linkChange',
      given: given.handedOver,
      input: (r) => ({ ...on(r), changeRef: 'PD-MATRIX', kind: 'BUG' }),
    },
    proposeSolution: {
      mutation: 'proposeSolution',
      given: () => given.inHandling(),
      input: (r) => ({ ...on(r), solution: 'Re-import the tax tables.', kind: 'WORKAROUND' }),
    },
    executeMutation: {
      mutation: 'executeMutation',
      given: () => given.inHandling(APPLICATION_SERVICE),
      input: (r) => ({ ...on(r), executedBy: 'ROBOT', description: 'Applied to 214 employees.' }),
    },
    respondToSolution: {
      mutation: 'respondToSolution',
      given: given.solutionProposed,
      input: (r) => ({ ...on(r), accepted: true, comment: 'Works.' }),
    },
    closeRequest: {
      mutation: 'closeRequest',
      given: given.registered,
      input: (r) => ({ ...on(r), reason: 'WITHDRAWN' }),
    },
    reopenRequest: {
      mutation: 'reopenRequest',
      given: given.closed,
      input: (r) => ({ ...on(r), message: 'The same error is back.' }),
    },
    treatAsNewRequest: {
      mutation: 'treatAsNewRequest',
      given: given.reopened,
      input: (r) => ({ ...on(r), title: 'Import of a journal', description: 'How do I import a journal?' }),
    },
    'addReply (public)': {
      mutation: 'addReply',
      given: given.registered,
      input: (r) => ({ ...on(r), body: 'Any news?' }),
    },
    'addReply (internal)': {
      mutation: 'addReply',
      given: given.registered,
      input: (r) => ({ ...on(r), body: 'Looks like the tax import.', internal: true }),
    },
    bookTime: {
      mutation: 'bookTime',
      given: given.registered,
      input: (r) => ({ ...on(r), hours: 0.5, workDate: '2026-11-23' }),
    },
    answerSurvey: {
      mutation: 'answerSurvey',
      given: given.solved,
      input: (r) => ({ ...on(r), score: 9, comment: 'Quick and clear.' }),
    },
    askProductDevelopment: {
      mutation: 'askProductDevelopment',
      given: () => given.inHandling(INFORMATION),
      input: (r) => ({ ...on(r), question: 'Is the 13th month included?' }),
    },
    answerProductDevelopmentQuestion: {
      mutation: 'answerProductDevelopmentQuestion',
      given: given.asked,
      input: (r) => ({
        ...on(r),
        questionId: r?.questionId ?? '00000000-0000-4000-8000-00000000000a',
        answer: 'Yes, since release 2026.3.',
      }),
    },
    importRequests: {
      mutation: 'importRequests',
      given: async () => null,
      input: () => ({
        requests: [
          {
            importKey: `MATRIX-${++imports}`,
            registeredAt: '2026-11-20T08:00:00Z',
            registeredBy: 'p-anna',
            registration: { ...INCIDENT, customerId: 'cust-acme' },
            steps: [],
          },
        ],
      }),
    },
  };

  /** What a refused call must not have touched: the row and its conversation and history. */
  const footprint = async (id: string) =>
    (
      await sql<{ v: number; replies: number; history: number }>(
        `SELECT version AS v, (SELECT count(*)::int FROM request_reply WHERE request_id = $1) AS replies, (SELECT count(*)::int FROM request_history WHERE request_id = $1) AS history FROM request WHERE id = $1`,
        [id],
      )
    )[0];
  const requestCount = async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM request`))[0].n;

  interface Listed {
    id: string;
    number: string;
    customerId: string;
    handedOverAt: string | null;
    productDevelopmentAskedAt: string | null;
  }
  /** Every request the caller can list with this filter, page by page. */
  const listAll = async (token: string, filter: Record<string, unknown> = {}) => {
    const nodes: Listed[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (;;) {
      const data: {
        requests: {
          totalCount: number;
          edges: { node: Listed }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      } = await ts.client.ok(
        `query($filter: RequestFilter, $after: String) { requests(filter: $filter, first: 100, after: $after) { totalCount edges { node { id number customerId handedOverAt productDevelopmentAskedAt } } pageInfo { hasNextPage endCursor } } }`,
        { filter, after },
        token,
      );
      totalCount = data.requests.totalCount;
      nodes.push(...data.requests.edges.map((e) => e.node));
      if (!data.requests.pageInfo.hasNextPage) break;
      after = data.requests.pageInfo.endCursor;
    }
    return { totalCount, nodes };
  };

  beforeAll(async () => {
    ts = await startTestStack({ clock: clock.now });
    await createDesk(ts);
    const admin = await ts.client.token('admin', { sub: 'p-admin' });
    const run = (mutation: string, input: Record<string, unknown>) =>
      ts.client.ok(
        `mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename } }`,
        { input },
        admin,
      );
    await run('createPerson', {
      id: 'p-csm',
      name: 'Cas Meijer',
      email: 'p-csm@servicecenter.example',
      roles: ['CUSTOMER_SUCCESS_MANAGER'],
    });
    await run('updateCustomer', { id: 'cust-acme', customerSuccessManagerId: 'p-csm' });
    await run('createPerson', {
      id: 'p-lead-hr',
      name: 'Hanna Hoek',
      email: 'p-lead-hr@servicecenter.example',
      roles: ['TEAM_LEAD'],
      teamIds: ['team-hr'],
    });
    for (const role of ROLES) tokens[role] = await ts.client.token(role, { ...CALLER[role], name: CALLER[role].sub });
    tokens.globex = await ts.client.token('customer', { sub: 'u-globex', customerId: 'cust-globex' });
    // Team HR: not the team of the requests below (product Payroll Cloud, team Payroll).
    tokens.bram = await ts.client.token('support_consultant', { sub: 'p-bram' });
    tokens.leadHr = await ts.client.token('team_lead', { sub: 'p-lead-hr' });
  });
  afterAll(async () => {
    await ts?.stop();
  });

  describe('the matrix: every role against every mutation', () => {
    it('covers every role of ROLES and every mutation of the requests SDL', () => {
      const sdl = parse(readFileSync(join(__dirname, '../../../requests/src/schema/05-requests.graphql'), 'utf8'));
      const mutationType = sdl.definitions.find(
        (d): d is ObjectTypeDefinitionNode | ObjectTypeExtensionNode =>
          (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
          d.name.value === 'Mutation',
      );
      const sdlMutations = (mutationType?.fields ?? []).map((f) => f.name.value).sort();
      expect(sdlMutations).toHaveLength(22);
      expect([...new Set(Object.values(ROWS).map((r) => r.mutation))].sort()).toEqual(sdlMutations);
      expect(Object.keys(CALLER).sort()).toEqual([...ROLES].sort());
      expect(ROLES).toHaveLength(17);
      for (const allowed of Object.values(ALLOWED)) for (const role of allowed) expect(ROLES).toContain(role);
    });

    it('lets exactly the expected roles call each mutation; allowed calls succeed, refused calls write nothing', async () => {
      const actual = {} as Record<MatrixRow, Role[]>;
      const codes = {} as Record<MatrixRow, Partial<Record<Role, string>>>;
      const allowedButFailed: string[] = [];
      const refusedButWrote: string[] = [];
      const started = Date.now();

      for (const name of MATRIX_ROWS) {
        const row = ROWS[name];
        actual[name] = [];
        codes[name] = {};
        let request = await row.given();
        for (const role of ROLES) {
          const before = request ? await footprint(request.id) : await requestCount();
          const result = await call(row.mutation, row.input(request), tokens[role]);
          const code = codeOf(result);
          codes[name][role] = code;
          if (REFUSED.has(code)) {
            const after = request ? await footprint(request.id) : await requestCount();
            if (JSON.stringify(after) !== JSON.stringify(before))
              refusedButWrote.push(`${name} by ${role}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
            continue;
          }
          actual[name].push(role);
          if (code !== 'OK') allowedButFailed.push(`${name} by ${role}: ${code} ${result.errors?.[0].message}`);
          request = await row.given(); // it may have moved on: the next role gets a fresh one
        }
      }

      // One readable diff: the rows where a role is allowed that should not be, or the reverse.
      const inRoleOrder = (roles: readonly Role[]) => ROLES.filter((r) => roles.includes(r));
      expect(actual).toEqual(Object.fromEntries(MATRIX_ROWS.map((name) => [name, inRoleOrder(ALLOWED[name])])));
      expect(allowedButFailed).toEqual([]);
      expect(refusedButWrote).toEqual([]);
      // Nothing is refused for lack of a (valid) token: every refusal is a decision on the request.
      expect(
        MATRIX_ROWS.flatMap((name) =>
          ROLES.filter((role) => codes[name][role] === 'UNAUTHENTICATED').map((role) => `${name} by ${role}`),
        ),
      ).toEqual([]);
      if (process.env.PRINT_MATRIX) console.log(JSON.stringify({ ms: Date.now() - started, codes }, null, 1));
    });

    it('refuses every mutation without a token with UNAUTHENTICATED', async () => {
      const request = await given.registered();
      const before = await footprint(request.id);
      for (const name of MATRIX_ROWS) {
        const row = ROWS[name];
        expect([
          name,
          codeOf(await call(row.mutation, row.input(row.mutation === 'registerRequest' ? null : request), undefined)),
        ]).toEqual([name, 'UNAUTHENTICATED']);
      }
      expect(await footprint(request.id)).toEqual(before);
    });

    it('shows product development a handed-over request; only the change coordinator links a change and writes internal notes', async () => {
      const request = await given.handedOver();
      const valid: MatrixRow[] = [
        'updateRequest',
        'assignRequest',
        'prioritiseRequest',
        'sendInHandlingNotice',
        'startHandling',
        'proposeSolution',
        'closeRequest',
        'addReply (public)',
        'addReply (internal)',
        'linkChange',
      ];
      const seen: string[] = [];
      for (const role of PRODUCT_DEVELOPMENT) {
        for (const name of valid)
          seen.push(
            `${role} ${name}: ${codeOf(await call(ROWS[name].mutation, ROWS[name].input(request), tokens[role]))}`,
          );
      }
      const expected = PRODUCT_DEVELOPMENT.flatMap((role) =>
        valid.map(
          (name) =>
            `${role} ${name}: ${role === 'pd_change_coordinator' && (name === 'linkChange' || name === 'addReply (internal)') ? 'OK' : 'FORBIDDEN'}`,
        ),
      );
      expect(seen).toEqual(expected);
    });

    it('refuses a consultant and a team lead outside the request’s team (FORBIDDEN: they see it, it is not theirs)', async () => {
      const request = await given.registered();
      const before = await footprint(request.id);
      for (const who of ['bram', 'leadHr'] as const) {
        for (const name of [
          'addReply (public)',
          'addReply (internal)',
          'assignRequest',
          'prioritiseRequest',
          'closeRequest',
        ] as const) {
          expect([who, name, codeOf(await call(ROWS[name].mutation, ROWS[name].input(request), tokens[who]))]).toEqual([
            who,
            name,
            'FORBIDDEN',
          ]);
        }
      }
      expect(await footprint(request.id)).toEqual(before);
      expect(codeOf(await call('addReply', { requestId: request.id, body: 'Hello' }, tokens.support_consultant))).toBe(
        'OK',
      );
    });
  });

  describe('organisation isolation: a customer of A and the requests of B', () => {
    const SECRET_NOTE = 'Internal: suspect the 26.11 tax import, do not tell the customer yet';
    const HANDOVER_NOTE = 'Handover analysis: reproduced with the Acme data set';
    const B_WORD = 'Zanzibarquux';
    let a: Ref;
    let b: Ref;

    beforeAll(async () => {
      a = await register({ ...INCIDENT, title: 'Payslips show the wrong tax' });
      await desk(a, 'assignRequest', { teamId: 'team-payroll', assigneeId: 'p-anna' }, 'support_consultant');
      await desk(a, 'addReply', { body: SECRET_NOTE, internal: true }, 'support_consultant');
      await desk(a, 'addReply', { body: 'We are looking into it.' }, 'support_consultant');
      await desk(a, 'prioritiseRequest', { priority: 'HIGH' }, 'support_consultant');
      await desk(a, 'acceptRequest', {}, 'support_consultant');
      await desk(a, 'startHandling', {}, 'support_consultant');
      await desk(a, 'handOverRequest', { target: 'PRODUCT_DEVELOPMENT', note: HANDOVER_NOTE }, 'support_consultant');
      a = await desk(a, 'linkChange', { changeRef: 'PD-SHARED', kind: 'BUG' }, 'pd_change_coordinator');

      b = await register(
        {
          ...INCIDENT,
          title: `${B_WORD} payroll stop`,
          description: `The ${B_WORD} payroll run stops at step 3 with error PR-500.`,
        },
        tokens.globex,
      );
      await desk(b, 'prioritiseRequest', { priority: 'HIGH' });
      await desk(b, 'acceptRequest', {});
      await desk(b, 'startHandling', {}, 'manager_service_center'); // Accountable (row 15): becomes its assignee
      await desk(b, 'handOverRequest', { target: 'PRODUCT_DEVELOPMENT', note: 'Same defect.' });
      b = await desk(b, 'linkChange', { changeRef: 'PD-SHARED' }, 'pd_change_coordinator');
    });

    it('cannot read B’s request by id or by number', async () => {
      const byId = await ts.client.ok<{ request: unknown }>(
        `query($id: ID) { request(id: $id) { id title } }`,
        { id: b.id },
        tokens.customer,
      );
      expect(byId.request).toBeNull();
      const byNumber = await ts.client.ok<{ request: unknown }>(
        `query($n: String) { request(number: $n) { id title } }`,
        { n: b.number },
        tokens.customer,
      );
      expect(byNumber.request).toBeNull();
      // B's own customer does see it: the nulls above are the wall, not a broken fixture.
      expect(
        (
          await ts.client.ok<{ request: { id: string } }>(
            `query($id: ID) { request(id: $id) { id } }`,
            { id: b.id },
            tokens.globex,
          )
        ).request,
      ).toEqual({ id: b.id });
    });

    it('finds nothing of B by filter, by text or in the queue', async () => {
      const q = `query($filter: RequestFilter) { requests(filter: $filter, first: 100) { totalCount edges { node { id customerId } } } }`;
      type Conn = { totalCount: number; edges: { node: { id: string; customerId: string } }[] };
      const byCustomer = await ts.client.ok<{ requests: Conn }>(
        q,
        { filter: { customer: ['cust-globex'] } },
        tokens.customer,
      );
      expect(byCustomer.requests).toEqual({ totalCount: 0, edges: [] });
      const byText = await ts.client.ok<{ requests: Conn }>(q, { filter: { text: B_WORD } }, tokens.customer);
      expect(byText.requests).toEqual({ totalCount: 0, edges: [] });
      expect(
        (await ts.client.ok<{ requests: Conn }>(q, { filter: { text: B_WORD } }, tokens.globex)).requests.totalCount,
      ).toBe(1);
      const byNumberText = await ts.client.ok<{ requests: Conn }>(q, { filter: { text: b.number } }, tokens.customer);
      expect(byNumberText.requests.totalCount).toBe(0);

      const everything = await listAll(tokens.customer);
      expect(everything.nodes.length).toBe(everything.totalCount);
      expect(everything.nodes.filter((n) => n.customerId !== 'cust-acme')).toEqual([]);

      const queue = `query($team: ID, $assignee: ID) { requestQueue(team: $team, assignee: $assignee, first: 100) { totalCount edges { node { id customerId } } } }`;
      for (const args of [{}, { team: 'team-payroll' }, { assignee: 'p-msc' }]) {
        const { requestQueue } = await ts.client.ok<{ requestQueue: Conn }>(queue, args, tokens.customer);
        expect([args, requestQueue.edges.filter((e) => e.node.customerId !== 'cust-acme')]).toEqual([args, []]);
      }
      const { requestQueue } = await ts.client.ok<{ requestQueue: Conn }>(
        queue,
        { assignee: 'p-msc' },
        tokens.customer,
      );
      expect(requestQueue.edges.map((e) => e.node.id)).not.toContain(b.id);
      expect(
        (
          await ts.client.ok<{ requestQueue: Conn }>(queue, { assignee: 'p-msc' }, tokens.manager_service_center)
        ).requestQueue.edges.map((e) => e.node.id),
      ).toContain(b.id);
    });

    it('sees the demand of a shared change but not B’s request linked to it', async () => {
      type Change = {
        change: {
          ref: string;
          customerCount: number;
          requestCount: number;
          requests: { id: string; customerId: string }[];
        };
      };
      const q = `{ change(ref: "PD-SHARED") { ref customerCount requestCount requests { id customerId } } }`;
      const asA = await ts.client.ok<Change>(q, {}, tokens.customer);
      expect(asA.change.requests).toEqual([{ id: a.id, customerId: 'cust-acme' }]);
      expect(asA.change.customerCount).toBe(2); // a count, not B's data
      const asPd = await ts.client.ok<Change>(q, {}, tokens.pd_change_coordinator);
      expect(asPd.change.requests.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    });

    it('may not export B’s data', async () => {
      const result = await ts.client.request(
        `query($c: ID!) { exportCustomerData(customerId: $c) { requestCount json } }`,
        { c: 'cust-globex' },
        tokens.customer,
      );
      expect(codeOf(result)).toBe('FORBIDDEN');
      expect(result.data?.exportCustomerData ?? null).toBeNull();
    });

    it('gets NOT_FOUND, exactly as for a request that does not exist, for every mutation on B’s request', async () => {
      const missing = {
        id: '00000000-0000-4000-8000-000000000000',
        number: 'SC-2026-999999',
        version: 1,
        status: 'REGISTERED',
      };
      const before = await footprint(b.id);
      // Registering and importing name no existing request.
      for (const name of MATRIX_ROWS.filter((n) => n !== 'registerRequest' && n !== 'importRequests')) {
        const row = ROWS[name];
        const onB = await call(row.mutation, row.input(b), tokens.customer);
        const onNothing = await call(row.mutation, row.input(missing), tokens.customer);
        expect([name, codeOf(onB)]).toEqual([name, 'NOT_FOUND']);
        // The answer for B's id is the answer for an id that does not exist: it reveals nothing.
        expect(onB.errors?.[0].message.replace(b.id, '<id>')).toBe(
          onNothing.errors?.[0].message.replace(missing.id, '<id>'),
        );
      }
      expect(await footprint(b.id)).toEqual(before);
      const registerForB = await call('registerRequest', { ...INCIDENT, customerId: 'cust-globex' }, tokens.customer);
      expect(codeOf(registerForB)).toBe('FORBIDDEN');
    });

    it('sees public replies only on their own request, and neither its team nor its assignee', async () => {
      const q = `query($id: ID) { request(id: $id) { id team { id } assignee { id } requester { id } replies { visibility kind body } history { action } } }`;
      type Read = {
        request: {
          team: unknown;
          assignee: unknown;
          requester: { id: string } | null;
          replies: { visibility: string; kind: string; body: string }[];
          history: { action: string }[];
        };
      };
      const asCustomer = (await ts.client.ok<Read>(q, { id: a.id }, tokens.customer)).request;
      expect(asCustomer.replies.length).toBeGreaterThan(0);
      expect(asCustomer.replies.filter((r) => r.visibility !== 'PUBLIC')).toEqual([]);
      expect(asCustomer.replies.map((r) => r.body)).not.toContain(SECRET_NOTE);
      expect(asCustomer.replies.map((r) => r.body)).not.toContain(HANDOVER_NOTE);
      expect(asCustomer.replies.map((r) => r.body)).toContain('We are looking into it.');
      expect(asCustomer.history.map((h) => h.action)).not.toContain('ADD_NOTE');
      expect(asCustomer).toMatchObject({ team: null, assignee: null, requester: { id: 'u-acme' } });

      // The desk sees all of it: the customer's view is a filter, not missing data.
      const asDesk = (await ts.client.ok<Read>(q, { id: a.id }, tokens.support_consultant)).request;
      expect(asDesk.replies.map((r) => r.body)).toEqual(expect.arrayContaining([SECRET_NOTE, HANDOVER_NOTE]));
      expect(asDesk.history.map((h) => h.action)).toContain('ADD_NOTE');
      expect(asDesk).toMatchObject({ team: { id: 'team-payroll' }, assignee: { id: 'p-anna' } });
    });

    // Teams are the vendor's internal organisation (the directory hides them from customers),
    // so neither Request.teamId nor the exit extract gives a customer the team id.
    it('does not give a customer the internal team of their request through Request.teamId or the extract', async () => {
      const q = `query($id: ID) { request(id: $id) { team { id } teamId } }`;
      expect((await ts.client.ok<{ request: unknown }>(q, { id: a.id }, tokens.support_consultant)).request).toEqual({
        team: { id: 'team-payroll' },
        teamId: 'team-payroll',
      });
      expect((await ts.client.ok<{ request: unknown }>(q, { id: a.id }, tokens.customer)).request).toEqual({
        team: null,
        teamId: null,
      });
      const extract = await ts.client.ok<{ exportCustomerData: { json: string } }>(
        `{ exportCustomerData(customerId: "cust-acme") { json } }`,
        {},
        tokens.customer,
      );
      const exported = (
        JSON.parse(extract.exportCustomerData.json) as { requests: { id: string; teamId?: string | null }[] }
      ).requests;
      expect(exported.find((r) => r.id === a.id)).toBeDefined();
      expect(exported.filter((r) => (r.teamId ?? null) !== null).map((r) => r.teamId)).toEqual([]);
    });
  });

  describe('read scopes', () => {
    let all: { totalCount: number; nodes: Listed[] };
    let b: Ref;
    let notHandedOver: Ref;

    beforeAll(async () => {
      b = await register({ ...INCIDENT, title: 'Globex holiday pay wrong' }, tokens.globex);
      notHandedOver = await given.registered();
      all = await listAll(tokens.manager_service_center);
      expect(all.nodes.length).toBe(all.totalCount);
    });
    const ids = (nodes: Listed[]) => nodes.map((n) => n.id).sort();
    const byId = async (id: string, token: string) =>
      (
        await ts.client.ok<{ request: { id: string } | null }>(
          `query($id: ID) { request(id: $id) { id } }`,
          { id },
          token,
        )
      ).request;

    it('service manager: only the requests of the customers they manage (Acme, not Globex)', async () => {
      const mine = await listAll(tokens.service_manager);
      expect(ids(mine.nodes)).toEqual(ids(all.nodes.filter((n) => n.customerId === 'cust-acme')));
      expect(mine.totalCount).toBe(mine.nodes.length);
      expect(all.nodes.some((n) => n.customerId === 'cust-globex')).toBe(true);
      expect((await listAll(tokens.service_manager, { customer: ['cust-globex'] })).totalCount).toBe(0);
      expect(await byId(b.id, tokens.service_manager)).toBeNull();
      expect(await byId(notHandedOver.id, tokens.service_manager)).toEqual({ id: notHandedOver.id });
      // Not even an internal note on a customer they do not manage: it does not exist for them.
      expect(
        codeOf(await call('addReply', { requestId: b.id, body: 'Note', internal: true }, tokens.service_manager)),
      ).toBe('NOT_FOUND');
      expect(
        codeOf(
          await ts.client.request(
            `{ exportCustomerData(customerId: "cust-globex") { requestCount } }`,
            {},
            tokens.service_manager,
          ),
        ),
      ).toBe('FORBIDDEN');
    });

    it('PD change coordinator: only requests handed over to or asked of product development, of every customer', async () => {
      const pd = await listAll(tokens.pd_change_coordinator);
      const handedOver = all.nodes.filter((n) => n.handedOverAt !== null || n.productDevelopmentAskedAt !== null);
      expect(handedOver.map((n) => n.customerId)).toEqual(expect.arrayContaining(['cust-acme', 'cust-globex']));
      expect(ids(pd.nodes)).toEqual(ids(handedOver));
      expect(pd.totalCount).toBe(handedOver.length);
      expect(await byId(notHandedOver.id, tokens.pd_change_coordinator)).toBeNull();
      expect(
        codeOf(
          await call('linkChange', { requestId: notHandedOver.id, changeRef: 'PD-1' }, tokens.pd_change_coordinator),
        ),
      ).toBe('NOT_FOUND');
    });

    it('support consultant: every request, also outside their team and organisation', async () => {
      for (const token of [tokens.support_consultant, tokens.bram]) {
        const seen = await listAll(token);
        expect(seen.totalCount).toBe(all.totalCount);
        expect(ids(seen.nodes)).toEqual(ids(all.nodes));
        expect(await byId(b.id, token)).toEqual({ id: b.id });
      }
    });
  });

  describe('the exit extract of organisation A', () => {
    const NOTE = 'Internal: customer is on the old tax table, bill the fix';
    const FORMULA = '=HYPERLINK("http://evil","x")';
    let formula: Ref;

    beforeAll(async () => {
      formula = await register({ ...INCIDENT, title: FORMULA });
      await desk(formula, 'addReply', { body: NOTE, internal: true }, 'support_consultant');
      await desk(formula, 'addReply', { body: 'We will call you.' }, 'support_consultant');
    });

    interface Exported {
      requests: { id: string; number: string; customerId: string; replies: { visibility: string; body: string }[] }[];
    }
    const exportOf = async (customerId: string, token: string) =>
      (
        await ts.client.ok<{
          exportCustomerData: {
            customerId: string;
            requestCount: number;
            json: string;
            csv: { name: string; content: string }[];
          };
        }>(
          `query($c: ID!) { exportCustomerData(customerId: $c) { customerId requestCount json csv { name content } } }`,
          { c: customerId },
          token,
        )
      ).exportCustomerData;

    it('holds every request of A and only A, with public replies only (JSON)', async () => {
      const extract = await exportOf('cust-acme', tokens.customer);
      const json = JSON.parse(extract.json) as Exported;
      const acme = (await listAll(tokens.manager_service_center, { customer: ['cust-acme'] })).nodes;
      expect(extract.requestCount).toBe(acme.length);
      expect(json.requests.map((r) => r.id).sort()).toEqual(acme.map((r) => r.id).sort());
      expect(json.requests.filter((r) => r.customerId !== 'cust-acme')).toEqual([]);
      const replies = json.requests.flatMap((r) => r.replies);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.filter((r) => r.visibility !== 'PUBLIC')).toEqual([]);
      expect(extract.json).not.toContain(NOTE);
      expect(json.requests.find((r) => r.id === formula.id)?.replies.map((r) => r.body)).toContain('We will call you.');
    });

    it('neutralises a formula in requests.csv and leaves internal notes out of replies.csv', async () => {
      const extract = await exportOf('cust-acme', tokens.customer);
      const file = (name: string) => {
        const found = extract.csv.find((f) => f.name === name);
        if (!found) throw new Error(`no ${name} in the extract`);
        return parseCsv(found.content, { columns: true }) as Record<string, string>[];
      };
      const requests = file('requests.csv');
      const row = requests.find((r) => r.id === formula.id);
      expect(row?.title).toBe(`'${FORMULA}`);
      expect(row?.title.startsWith("'=")).toBe(true);
      for (const r of requests) for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

      const replies = file('replies.csv');
      expect(replies.map((r) => r.body)).toContain('We will call you.');
      expect(replies.map((r) => r.body)).not.toContain(NOTE);
      expect(replies.filter((r) => r.kind === 'HANDOVER_NOTE')).toEqual([]);
      const publicReplies = (JSON.parse(extract.json) as Exported).requests.flatMap((r) => r.replies);
      expect(replies).toHaveLength(publicReplies.length);
    });

    // The extract shows the customer what the graph shows them: no internal-note entries.
    it('leaves the internal notes out of the history of the extract too, as the graph does for customers', async () => {
      const read = await ts.client.ok<{ request: { history: { action: string }[] } }>(
        `query($id: ID) { request(id: $id) { history { action } } }`,
        { id: formula.id },
        tokens.customer,
      );
      expect(read.request.history.map((h) => h.action)).not.toContain('ADD_NOTE');
      const extract = await exportOf('cust-acme', tokens.customer);
      const json = JSON.parse(extract.json) as { requests: { id: string; history: { action: string }[] }[] };
      expect(json.requests.find((r) => r.id === formula.id)?.history.map((h) => h.action)).not.toContain('ADD_NOTE');
      const history = parseCsv(extract.csv.find((f) => f.name === 'history.csv')?.content ?? '', {
        columns: true,
      }) as Record<string, string>[];
      expect(history.length).toBeGreaterThan(0);
      expect(history.filter((h) => h.action === 'ADD_NOTE')).toEqual([]);
    });
  });
});
