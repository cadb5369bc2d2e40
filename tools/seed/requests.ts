import { SeedError, type Connection, type SeedClient, type SeedLog } from './client';
import { customers, people } from '../../apps/requests/src/directory/testing/demo-data';
import { scenarios as allScenarios } from './request-scenarios';
import { MUTATION_INPUT, type RequestStatus, type RequestType, type Scenario, type Step } from './steps';

/** Reads every request of the desk (a team lead reads all of them). */
export const READER = 'p-sanne-jansen';

interface Seen {
  id: string;
  number: string;
  status: RequestStatus;
  type: RequestType;
  title: string;
}

const EXISTING = `query($filter: RequestFilter, $first: Int, $after: String) {
  requests(filter: $filter, orderBy: REGISTERED_AT_ASC, first: $first, after: $after) {
    edges { node { id number status type title } } pageInfo { hasNextPage endCursor }
  }
}`;
const REGISTER =
  'mutation($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id number status type title } } }';

export interface RequestsResult {
  /** Demo scenarios in the data; each registers one request (a treat-as-new one also a follow-up). */
  scenarios: number;
  /** Requests registered by this run, follow-ups included. */
  created: number;
  /** Scenarios whose request already existed. */
  skipped: number;
}

/**
 * Runs the demo scenarios through the lifecycle mutations. Requests are not idempotent, so
 * a scenario whose title a demo customer already has is skipped: a second run creates
 * nothing, and a run that stopped halfway resumes with the scenarios still missing.
 */
export async function loadRequests(
  client: SeedClient,
  log: SeedLog,
  articleIds: ReadonlyMap<string, string>,
  scenarios: readonly Scenario[] = allScenarios,
): Promise<RequestsResult> {
  const titles = new Set<string>();
  for (const s of scenarios) {
    if (titles.has(s.register.title))
      throw new Error(`Two demo scenarios share the title "${s.register.title}": titles tell which ones exist`);
    titles.add(s.register.title);
  }
  const existing = await client.all<{ requests: Connection<Seen> }, Seen>(
    READER,
    EXISTING,
    { filter: { customer: customers.map((c) => c.id) } },
    (d) => d.requests,
    'requests of the demo customers',
  );
  const numbers = new Map<string, string>();
  const result: RequestsResult = { scenarios: scenarios.length, created: 0, skipped: 0 };
  const moved: string[] = [];
  for (const s of scenarios) {
    const found = existing.find((r) => r.title === s.register.title);
    if (found) {
      numbers.set(s.key, found.number);
      result.skipped += 1;
      if (found.status !== s.expect) moved.push(`${found.number} is ${found.status} (the demo left it ${s.expect})`);
    }
  }
  if (result.skipped === scenarios.length) {
    log(`Requests: all ${scenarios.length} demo requests already exist: skipping request creation.`);
  } else {
    const todo = scenarios.length - result.skipped;
    log(
      `Requests: ${result.skipped ? `${result.skipped} of the demo requests already exist; ` : ''}running ${todo} scenarios, each driven through the lifecycle by the people involved:`,
    );
  }
  if (moved.length)
    log(
      `  Since then ${moved.length} moved on (reminder timers, people using the desk, or an earlier run that stopped halfway): ${moved.join('; ')}`,
    );

  for (const s of scenarios) {
    if (numbers.has(s.key)) continue;
    const { request, followUp } = await playScenario(client, s, numbers, articleIds);
    numbers.set(s.key, request.number);
    result.created += 1 + (followUp ? 1 : 0);
    const customer = customers.find((c) => c.id === customerOf(s))?.name ?? customerOf(s);
    log(
      `  ${request.number}  ${s.register.type.padEnd(19)} ${request.status.padEnd(20)} ${customer}: ${s.register.title}`,
    );
    if (followUp)
      log(
        `  ${followUp.number}  ${followUp.type.padEnd(19)} ${followUp.status.padEnd(20)} ${customer}: ${followUp.title} (continues ${request.number})`,
      );
  }
  return result;
}

/** The organisation a scenario's request belongs to: the registering user's, or the one the desk named. */
function customerOf(s: Scenario): string {
  return s.register.customerId ?? people.find((p) => p.id === s.by)?.customerId ?? '?';
}

async function playScenario(
  client: SeedClient,
  s: Scenario,
  numbers: ReadonlyMap<string, string>,
  articleIds: ReadonlyMap<string, string>,
): Promise<{ request: Seen; followUp?: Seen }> {
  const registered = await client.run<{ registerRequest: { request: Seen } }>(
    s.by,
    REGISTER,
    { input: s.register },
    describe(s, 'registerRequest', s.by, s.register),
  );
  let request = registered.registerRequest.request;
  let followUp: Seen | undefined;
  for (const step of s.steps) {
    const input: Record<string, unknown> = {
      requestId: request.id,
      ...(substitute(step.input, numbers) as Record<string, unknown>),
    };
    if (step.article) {
      const articleId = articleIds.get(step.article);
      if (!articleId) throw new Error(`${s.key}: no knowledge article ${step.article} was loaded`);
      input.articleId = articleId;
    }
    const operation = describe(s, step.mutation, step.as, input, request.number);
    if (step.mutation === 'treatAsNewRequest') {
      const data = await client.run<{ treatAsNewRequest: { closedRequest: Seen; request: Seen } }>(
        step.as,
        `mutation($input: TreatAsNewRequestInput!) { treatAsNewRequest(input: $input) { closedRequest { id number status type title } request { id number status type title } } }`,
        { input },
        operation,
      );
      request = data.treatAsNewRequest.closedRequest;
      followUp = data.treatAsNewRequest.request;
    } else {
      const query = `mutation($input: ${MUTATION_INPUT[step.mutation]}!) { ${step.mutation}(input: $input) { request { id number status type title } } }`;
      request = (await client.run<Record<string, { request: Seen }>>(step.as, query, { input }, operation))[
        step.mutation
      ].request;
    }
  }
  if (request.status !== s.expect) {
    throw new SeedError(
      'UNEXPECTED_STATUS',
      `${request.number} ended ${request.status}, the scenario expects ${s.expect}`,
      `scenario ${s.key}`,
    );
  }
  return { request, followUp };
}

function describe(s: Scenario, mutation: string, as: Step['as'], input: unknown, number?: string): string {
  const json = JSON.stringify(input);
  return `scenario ${s.key}${number ? ` (${number})` : ''}: ${mutation} as ${as} with input ${json.length > 600 ? `${json.slice(0, 600)}…` : json}`;
}

/** `{{key}}` in any string becomes the request number of that scenario. */
function substitute(value: unknown, numbers: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{([a-z0-9-]+)\}\}/g, (_, key: string) => {
      const number = numbers.get(key);
      if (!number) throw new Error(`{{${key}}} names no earlier scenario`);
      return number;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, numbers));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, numbers)]));
  return value;
}
