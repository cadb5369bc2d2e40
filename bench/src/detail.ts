import type { GraphClient } from '@servicecenter/testing';
import { tokenFor } from '../../apps/stack/src/testing/desk-fixture';
import type { BenchStack } from './bench-stack';
import { CONSULTANT, gatewayCall, subgraphHeaders } from './graph';
import { repeatLoad, type RepeatedLoad, type Scenario } from './load';
import type { BenchOptions } from './options';
import { round } from './stats';
import type { Log } from './throughput';

/**
 * The request detail page: one request with everything a consultant reads on it (the request's
 * fields, the conversation, the history, the time bookings, the SLA targets and timeline, the
 * customer escalations with their steps), for requests with a realistic past built through the
 * graph (`buildDetailRequests`).
 */
const PERSON = 'id name';
const REQUEST_FIELDS = `id number type title description businessImpact status allowedActions requestedPriority priority
  priorityJustification category customer { id name } product { id name } team { id name } requester { ${PERSON} }
  assignee { ${PERSON} } waitReason missingInformation waitingSince remindersSent waitedMs handoverTarget handedOverAt
  solution solutionKind solutionProposedAt reopenCount registeredAt firstResponseAt assignedAt acceptedAt closedAt
  updatedAt version
  evidence { kind name text addedAt addedBy { ${PERSON} } }
  replies { id author { ${PERSON} } side visibility kind body createdAt }
  history { action fromStatus toStatus actor { ${PERSON} } at details }
  timeBookings { id hours workDate bookedBy { ${PERSON} } description bookedAt }
  bookedHours`;
const SLA_FIELDS = `sla { trackedSince priority
  targets { kind state unit budgetMs startedAt dueAt elapsedMs remainingMs pausedMs breachedAt stoppedAt hardLimitExceeded }
  timeline { at kind note } }`;
const escalationFields = (
  person: string,
) => `escalations { id number status reason businessImpact desiredOutcome openedAt
  openedBy { ${person} } nextStep version steps { step at note by { ${person} } } }`;

/** The page through a gateway: people of the escalations resolved by the requests subgraph. */
export const DETAIL_PAGE = `query RequestDetail($id: ID!) {
  request(id: $id) { ${REQUEST_FIELDS} ${SLA_FIELDS} ${escalationFields(PERSON)} }
}`;

/** The same data straight from the subgraphs: the steps of the gateway's query plan. */
const DETAIL_ROOT = `query RequestDetail($id: ID!) { request(id: $id) { __typename ${REQUEST_FIELDS} } }`;
const entitiesQuery = (type: string, fields: string) =>
  `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${type} { ${fields} } } }`;

export function detailThroughGateway(url: string, token: string, ids: readonly string[]): Scenario {
  return { kind: 'rotate', calls: ids.map((id) => gatewayCall(url, token, DETAIL_PAGE, { id })) };
}

/**
 * Client-side federation of the detail page, as the gateway plans it: the request from the
 * requests subgraph; `sla` and `escalations` as `_entities` in parallel; then the people of the
 * escalations (`Person` is resolved by the requests subgraph) as `_entities` on requests.
 */
export function detailStraightFromSubgraphs(
  urls: { requests: string; sla: string; escalations: string },
  ids: readonly string[],
): Scenario {
  const headers = subgraphHeaders(CONSULTANT);
  return {
    kind: 'federated',
    roots: ids.map((id) => ({
      url: urls.requests,
      headers,
      body: JSON.stringify({ query: DETAIL_ROOT, variables: { id } }),
    })),
    entities: [
      { url: urls.sla, headers, query: entitiesQuery('Request', SLA_FIELDS) },
      { url: urls.escalations, headers, query: entitiesQuery('Request', escalationFields('__typename id')) },
    ],
    references: { typename: 'Person', url: urls.requests, headers, query: entitiesQuery('Person', 'name') },
  };
}

const op = (name: string, input: string, result = 'request { id status version }') =>
  `mutation ${name[0].toUpperCase()}${name.slice(1)}($input: ${input}!) { ${name}(input: $input) { ${result} } }`;
const REGISTER = op('registerRequest', 'RegisterRequestInput');
const ASSIGN = op('assignRequest', 'AssignRequestInput');
const PRIORITISE = op('prioritiseRequest', 'PrioritiseRequestInput');
const NOTICE = op('sendInHandlingNotice', 'SendInHandlingNoticeInput');
const ACCEPT = op('acceptRequest', 'RequestStepInput');
const START = op('startHandling', 'RequestStepInput');
const ASK = op('requestInformation', 'RequestInformationInput');
const REPLY = op('addReply', 'AddReplyInput');
const UPDATE = op('updateRequest', 'UpdateRequestInput');
const HAND_OVER = op('handOverRequest', 'HandOverRequestInput');
const PROPOSE = op('proposeSolution', 'ProposeSolutionInput');
const RESPOND = op('respondToSolution', 'RespondToSolutionInput');
const BOOK = op('bookTime', 'BookTimeInput', 'booking { id }');
const OPEN_ESCALATION = op('openEscalation', 'OpenEscalationInput', 'escalation { id version }');
const ESCALATION_STEP = op('recordEscalationStep', 'RecordEscalationStepInput', 'escalation { id version }');

export interface DetailRequests {
  ids: string[];
  /** Per request: history entries, replies, SLA timeline entries and escalation steps the page shows. */
  history: number;
  replies: number;
  timeline: number;
  escalationSteps: number;
  buildSeconds: number;
}

/**
 * `count` incidents of Acme on Payroll Cloud, each taken through a long life as the people who
 * would do it: intake by the consultant p-anna (assign, prioritise, in-handling notice, accept,
 * start), `rounds` rounds of a question to the customer (the SLA clocks pause) answered by the
 * customer (they resume), internal notes, public replies, a priority change by the team lead (the SLA
 * targets are recalculated), time bookings; then a hand-over to product development, handling
 * again, a workaround the customer rejects, a second proposal; and a customer escalation on it
 * that the service manager takes through its first three steps.
 */
export async function buildDetailRequests(
  client: GraphClient,
  customerToken: string,
  count: number,
  rounds: number,
  log: Log,
): Promise<DetailRequests> {
  const started = Date.now();
  const anna = await tokenFor(client, CONSULTANT.id);
  const sm = await tokenFor(client, 'p-sm');
  // Changing a priority once set is up to the team lead of Team Payroll.
  const lead = await tokenFor(client, 'p-lead');
  const today = new Date().toISOString().slice(0, 10);
  log(`detail page: building ${count} requests through the graph, ${rounds} rounds of questions and replies each`);

  const build = async (i: number): Promise<string> => {
    const registered = await client.ok<{ registerRequest: { request: { id: string } } }>(
      REGISTER,
      {
        input: {
          type: 'INCIDENT',
          title: `Payroll run stops at validation for batch ${i}`,
          description:
            'Starting the payroll run stops at step 3 (validation) with error VAL-112 for the employees with two employments.',
          businessImpact: 'Salaries of 420 employees must be paid this Friday.',
          requestedPriority: 'HIGH',
          productId: 'prod-payroll',
          evidence: [
            {
              kind: 'ERROR_MESSAGE',
              name: 'error.txt',
              text: 'VAL-112: second employment has no valid tax indication',
            },
            { kind: 'SCREENSHOT', name: 'run-validation.png', contentType: 'image/png', sizeBytes: 184_322 },
          ],
        },
      },
      customerToken,
    );
    const requestId = registered.registerRequest.request.id;
    const as = (query: string, token: string, input: Record<string, unknown>) =>
      client.ok(query, { input: { requestId, ...input } }, token);

    await as(ASSIGN, anna, { assigneeId: CONSULTANT.id });
    await as(PRIORITISE, anna, { priority: 'HIGH', category: 'payroll-run' });
    await as(NOTICE, anna, { message: 'We are looking into it with priority, given Friday’s payment date.' });
    await as(ACCEPT, anna, {});
    await as(START, anna, {});
    for (let round = 1; round <= rounds; round++) {
      await as(REPLY, anna, {
        body: `Round ${round}: reproduced on acceptance with period ${round} data.`,
        internal: true,
      });
      await as(ASK, anna, {
        missing: [`The payroll log of run ${round}`, `The employee numbers of batch ${round}`],
        message: `Could you send us the log of run ${round} and the employee numbers?`,
      });
      await as(UPDATE, customerToken, {
        message: `Here are the log and the employee numbers of run ${round}.`,
        addEvidence: [{ kind: 'LOG_FILE', name: `run-${round}.log`, text: `run ${round}: VAL-112 x 37` }],
      });
      await as(REPLY, anna, { body: `Thank you, we are checking run ${round} against release 26.11.` });
      await as(REPLY, customerToken, { body: `Any news on run ${round}? The payment date is close.` });
      await as(PRIORITISE, lead, {
        priority: round % 2 === 1 ? 'MEDIUM' : 'HIGH',
        justification:
          round % 2 === 1 ? 'A workaround lets the run complete; payment date is two weeks away.' : undefined,
      });
      await as(BOOK, anna, { hours: 0.5, workDate: today, description: `Analysis of run ${round}` });
    }
    await as(HAND_OVER, anna, {
      target: 'PRODUCT_DEVELOPMENT',
      note: 'Product defect since release 26.11: VAL-112 rejects the second employment. Reproduced with the customer’s data.',
    });
    await as(START, anna, {});
    await as(PROPOSE, anna, {
      solution: 'Set the tax indication explicitly to No on the second employment, then start the run again.',
      kind: 'WORKAROUND',
    });
    await as(RESPOND, customerToken, { accepted: false, comment: 'The run still stops for 3 employees.' });
    await as(PROPOSE, anna, {
      solution: 'Also set the indication on the 3 employees with a third employment, then start the run again.',
      kind: 'WORKAROUND',
    });

    const opened = await client.ok<{ openEscalation: { escalation: { id: string; version: number } } }>(
      OPEN_ESCALATION,
      {
        input: {
          requestIds: [requestId],
          reason: 'The payroll run has been blocked for days.',
          businessImpact: 'Salaries cannot be paid on time.',
          desiredOutcome: 'A run that completes before Friday.',
        },
      },
      customerToken,
    );
    const escalationId = opened.openEscalation.escalation.id;
    let version = opened.openEscalation.escalation.version;
    for (const step of ['FACT_FINDING', 'ALIGNED_WITH_TEAM_LEAD', 'CUSTOMER_INFORMED']) {
      const recorded = await client.ok<{ recordEscalationStep: { escalation: { version: number } } }>(
        ESCALATION_STEP,
        { input: { escalationId, step, note: `${step} for request ${i}`, version } },
        sm,
      );
      version = recorded.recordEscalationStep.escalation.version;
    }
    return requestId;
  };

  // A few requests at once: each request's own steps run in order.
  const ids: string[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(4, count) }, async () => {
      while (next < count) {
        const i = next++;
        ids[i] = await build(i);
      }
    }),
  );
  return { ids, ...(await detailShape(client, anna, ids)), buildSeconds: round((Date.now() - started) / 1000, 1) };
}

interface DetailAnswer {
  request: {
    history: unknown[];
    replies: unknown[];
    sla: { timeline: unknown[]; targets: unknown[] } | null;
    escalations: { steps: unknown[] }[];
  } | null;
}

/**
 * Waits until the SLA and escalations services have the events of every request (the page
 * shows the whole timeline and the escalation's steps), then reads the page's list sizes: the
 * smallest over the requests.
 */
async function detailShape(
  client: GraphClient,
  token: string,
  ids: readonly string[],
): Promise<Omit<DetailRequests, 'ids' | 'buildSeconds'>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pages = await Promise.all(ids.map((id) => client.ok<DetailAnswer>(DETAIL_PAGE, { id }, token)));
    const shapes = pages.map(({ request: r }) => ({
      history: r?.history.length ?? 0,
      replies: r?.replies.length ?? 0,
      timeline: r?.sla?.timeline.length ?? 0,
      escalationSteps: r?.escalations.reduce((n, e) => n + e.steps.length, 0) ?? 0,
    }));
    const min = (k: keyof (typeof shapes)[number]) => Math.min(...shapes.map((s) => s[k]));
    const shape = {
      history: min('history'),
      replies: min('replies'),
      timeline: min('timeline'),
      escalationSteps: min('escalationSteps'),
    };
    if ((shape.escalationSteps >= 3 && shape.timeline > 0) || Date.now() > deadline) {
      if (shape.escalationSteps < 3 || shape.timeline === 0)
        throw new Error(`the detail requests did not reach sla and escalations in 60 s: ${JSON.stringify(shape)}`);
      return shape;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface DetailTarget {
  name: string;
  description: string;
  load: RepeatedLoad;
  /** CPU ms per page of the stack process (subgraphs, and the gateway for the in-stack target). */
  cpuMsPerPage?: number;
  /** The gateway's own share, derived as for the queue page: in-stack minus straight from the subgraphs. */
  gatewayCpuMsPerPage?: number;
}

export interface DetailResult {
  requests: DetailRequests;
  targets: DetailTarget[];
  /** Apollo gateway in the stack vs the same data straight from the subgraphs (latency, median). */
  gatewayOverheadRatio: number;
}

const perPage = (ms: number, pages: number) => (pages > 0 && Number.isFinite(ms) ? round(ms / pages, 2) : undefined);

export async function measureDetail(
  bs: BenchStack,
  options: BenchOptions,
  customerToken: string,
  log: Log,
): Promise<DetailResult> {
  const requests = await buildDetailRequests(
    bs.client,
    customerToken,
    options.detailRequests,
    options.detailRounds,
    log,
  );
  log(
    `  built in ${requests.buildSeconds} s: per request at least ${requests.history} history entries, ${requests.replies} replies, ${requests.timeline} SLA timeline entries, ${requests.escalationSteps} escalation steps`,
  );
  const token = await bs.client.token(CONSULTANT.roles, { sub: CONSULTANT.id, name: CONSULTANT.name });
  const common = { concurrency: options.concurrency, durationMs: options.seconds * 1000, warmupMs: 1000 };
  log(
    `detail page: ${options.runs} x ${options.seconds} s per target, ${options.concurrency} clients, rotating over ${requests.ids.length} requests`,
  );

  const inStack = await repeatLoad(options.runs, {
    ...common,
    scenario: detailThroughGateway(bs.gatewayUrl, token, requests.ids),
  });
  const direct = await repeatLoad(options.runs, {
    ...common,
    scenario: detailStraightFromSubgraphs(bs.subgraphUrls, requests.ids),
  });
  const targets: DetailTarget[] = [
    {
      name: 'apollo-in-stack',
      description: 'Apollo gateway in the stack process (as npm start runs it)',
      load: inStack,
      cpuMsPerPage: perPage(inStack.cpu.selfMs, inStack.cpu.requests),
    },
    {
      name: 'subgraphs-direct',
      description:
        'the same data straight from the subgraphs (requests, then sla + escalations _entities, then Person)',
      load: direct,
      cpuMsPerPage: perPage(direct.cpu.selfMs, direct.cpu.requests),
    },
  ];
  const [a, b] = targets;
  if (a.cpuMsPerPage !== undefined && b.cpuMsPerPage !== undefined)
    a.gatewayCpuMsPerPage = round(a.cpuMsPerPage - b.cpuMsPerPage, 2);
  for (const t of targets) {
    log(
      `  ${t.name}: ${t.load.throughput} pages/s, median ${t.load.latency.median} ms, p99 ${t.load.latency.p99} ms, errors ${t.load.errors}, CPU ${t.cpuMsPerPage} ms/page${t.gatewayCpuMsPerPage !== undefined ? ` (gateway ${t.gatewayCpuMsPerPage})` : ''}`,
    );
    if (t.load.firstError) log(`    first error: ${t.load.firstError}`);
  }
  return { requests, targets, gatewayOverheadRatio: round(inStack.latency.median / direct.latency.median, 2) };
}
