import { SeedClient, type SeedLog } from './client';
import { customers } from '../../apps/requests/src/directory/testing/demo-data';
import { loadDirectory, type Tally } from './directory';
import { loadKnowledge } from './knowledge';
import { READER, loadRequests, type RequestsResult } from './requests';
import { REQUEST_STATUSES, REQUEST_TYPES, type RequestStatus, type RequestType } from './steps';

export interface SeedOptions {
  /** The gateway, e.g. http://localhost:4000/graphql. */
  url: string;
  /** The HS256 secret the gateway verifies tokens with (JWT_SECRET, or the development secret). */
  secret: string;
  log?: SeedLog;
  /** How long to wait for a gateway that is still starting; 0 does not wait. */
  waitMs?: number;
}

export interface SeedSummary {
  directory: Tally;
  knowledge: Tally;
  requests: RequestsResult;
  /** Every request on the desk, not only the demo ones. */
  byStatus: Record<RequestStatus, number>;
  byType: Record<RequestType, number>;
  durationMs: number;
}

/** The demo people a newcomer may want to be, with the token command for each. */
const DEMO_PEOPLE = [
  {
    who: 'Marieke Bakker, customer user of Bakker Logistiek',
    args: '--sub p-marieke-bakker --role customer --customer cust-bakker-logistiek',
  },
  { who: 'Anna de Vries, support consultant of Team Payroll', args: '--sub p-anna-devries --role support_consultant' },
  {
    who: 'Sanne Jansen, team lead of Team Payroll (reads every request)',
    args: '--sub p-sanne-jansen --role team_lead',
  },
  {
    who: 'Joost Vermeulen, PD change coordinator (handed-over requests)',
    args: '--sub p-joost-vermeulen --role pd_change_coordinator',
  },
];

/**
 * Fills a running graph with the demo desk, only through the gateway's GraphQL API, as its
 * users would: the directory as the admin, knowledge articles as consultants, requests as
 * customers, consultants, team leads and product development. Safe to run again.
 */
export async function seed(options: SeedOptions): Promise<SeedSummary> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const client = new SeedClient(options.url, options.secret);
  await waitForGateway(options.url, options.waitMs ?? 0, log);

  const directory = await loadDirectory(client, log);
  const knowledge = await loadKnowledge(client, log);
  const requests = await loadRequests(client, log, knowledge.ids);
  const { byStatus, byType } = await countRequests(client);
  const durationMs = Date.now() - started;

  const demand = await client.run<{ a: ChangeDemand | null; b: ChangeDemand | null }>(
    READER,
    '{ a: change(ref: "PD-2417") { ref title customerCount requestCount } b: change(ref: "PD-2455") { ref title customerCount requestCount } }',
    {},
    'change demand',
  );
  log('');
  log(`Requests on the desk by status: ${REQUEST_STATUSES.map((s) => `${s} ${byStatus[s]}`).join(', ')}`);
  log(`                     by type:   ${REQUEST_TYPES.map((t) => `${t} ${byType[t]}`).join(', ')}`);
  for (const c of [demand.a, demand.b])
    if (c) log(`Change ${c.ref} (${c.title}): ${c.requestCount} requests of ${c.customerCount} customers`);
  log(
    `Customers: ${customers.map((c) => c.name).join(', ')} (${customers.find((c) => !c.applicationServicesContract)?.name} has no Application Services contract)`,
  );
  log('');
  log('Query the desk as one of its people (gateway ' + options.url + '):');
  for (const p of DEMO_PEOPLE) log(`  npm run token -- ${p.args}    # ${p.who}`);
  log(`e.g. TOKEN=$(npm run -s token -- ${DEMO_PEOPLE[2].args})`);
  log(`     curl -s ${options.url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`);
  log(`       -d '{"query":"{ requests(first: 50) { totalCount edges { node { number type status title } } } }"}'`);
  log('');
  log(`Seeded in ${(durationMs / 1000).toFixed(1)} s.`);
  return { directory, knowledge: knowledge.tally, requests, byStatus, byType, durationMs };
}

interface ChangeDemand {
  ref: string;
  title: string | null;
  customerCount: number;
  requestCount: number;
}

/** One query: totalCount per status and per type, as the team lead sees them (all requests). */
async function countRequests(
  client: SeedClient,
): Promise<{ byStatus: Record<RequestStatus, number>; byType: Record<RequestType, number> }> {
  const fields = [
    ...REQUEST_STATUSES.map((s) => `status_${s}: requests(filter: { status: [${s}] }, first: 0) { totalCount }`),
    ...REQUEST_TYPES.map((t) => `type_${t}: requests(filter: { type: [${t}] }, first: 0) { totalCount }`),
  ];
  const data = await client.run<Record<string, { totalCount: number }>>(
    READER,
    `{ ${fields.join('\n')} }`,
    {},
    'count requests per status and type',
  );
  return {
    byStatus: Object.fromEntries(REQUEST_STATUSES.map((s) => [s, data[`status_${s}`].totalCount])) as Record<
      RequestStatus,
      number
    >,
    byType: Object.fromEntries(REQUEST_TYPES.map((t) => [t, data[`type_${t}`].totalCount])) as Record<
      RequestType,
      number
    >,
  };
}

/** `npm start` and `npm run seed` may be started together: wait until the gateway answers. */
async function waitForGateway(url: string, waitMs: number, log: SeedLog): Promise<void> {
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      return;
    } catch {
      if (Date.now() >= deadline) return; // the first real call reports the failure with its cause
      if (!told) log(`Waiting for the gateway at ${url} …`);
      told = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
