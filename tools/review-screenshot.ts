import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { chromium } from 'playwright-core';
import { DEV_JWT_SECRET, signDevToken, type Role } from '@servicecenter/platform-auth';
import { SUBGRAPHS, type SubgraphName } from '@servicecenter/platform-config';
import { dropDatabase, ensureDatabase, withDatabase } from '@servicecenter/platform-database';
import { seed } from './seed/run';

/**
 * `npm run review:screenshot`: renders the Service Management Review of a seeded customer in
 * headless Chromium, checks that it rendered (title, the seven sections, SVG charts) and writes
 * docs/images/service-management-review.png.
 *
 * Without --url it starts the whole graph in this process on fresh databases of DATABASE_URL
 * (dropped afterwards), seeds the demo desk (`npm run seed`), books some hours and answers some
 * surveys. With --url (a running `npm start`, already seeded) it uses that gateway and
 * --reporting-url (default http://localhost:4004) for the page.
 * Chromium: /usr/bin/chromium (`apt-get install chromium`), or CHROMIUM_PATH.
 */
const CUSTOMER = 'cust-bakker-logistiek';
const SERVICE_MANAGER = 'p-ingrid-vos';
const ZONE = 'Europe/Amsterdam';
const OUT = join(__dirname, '../docs/images/service-management-review.png');

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'reporting-url': { type: 'string', default: 'http://localhost:4004' },
      out: { type: 'string', default: OUT },
    },
  });
  const secret = process.env.JWT_SECRET || DEV_JWT_SECRET;
  let gatewayUrl = values.url;
  let reportingUrl = values['reporting-url'] as string;
  let cleanup = async () => undefined as void;
  if (!gatewayUrl) {
    const server = process.env.DATABASE_URL;
    if (!server)
      throw new Error(
        'Set DATABASE_URL (a PostgreSQL server; fresh databases are created and dropped), or pass --url of a running, seeded graph',
      );
    const prefix = `review_shot_${randomBytes(3).toString('hex')}`;
    const databases = Object.fromEntries(SUBGRAPHS.map((s) => [s, `${prefix}_${s.replace(/-/g, '_')}`])) as Record<
      SubgraphName,
      string
    >;
    for (const name of Object.values(databases)) await ensureDatabase(server, name);
    const { startStack } = await import('../apps/stack/src/stack');
    const { silentLogger } = await import('@servicecenter/platform-logging');
    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: 'development',
      OUTBOX_POLL_MS: '50',
      TIMER_POLL_MS: '200',
    };
    delete env.KAFKA_BROKERS;
    const stack = await startStack({
      env,
      logger: silentLogger,
      randomPorts: true,
      databaseUrlFor: async (s) => withDatabase(server, databases[s]),
    });
    gatewayUrl = stack.gatewayUrl;
    reportingUrl = stack.subgraphUrls.reporting.replace(/\/graphql$/, '');
    cleanup = async () => {
      await stack.stop();
      for (const name of Object.values(databases)) await dropDatabase(server, name).catch(() => undefined);
    };
    console.log(`Graph started at ${gatewayUrl}; seeding the demo desk…`);
    await seed({ url: gatewayUrl, secret, waitMs: 30_000 });
    await enrich(gatewayUrl, secret);
  }
  try {
    const token = await signDevToken(secret, { sub: SERVICE_MANAGER, roles: ['service_manager'], name: 'Ingrid Vos' });
    const now = DateTime.now().setZone(ZONE);
    const quarter = `${now.year}-Q${Math.ceil(now.month / 3)}`;
    // reportingFreshness is for admins.
    await waitForReporting(gatewayUrl, await signDevToken(secret, { sub: 'p-admin', roles: ['admin'], name: 'Admin' }));
    const url = `${reportingUrl}/reviews/${CUSTOMER}/${quarter}.html`;
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
    try {
      const context = await browser.newContext({
        extraHTTPHeaders: { authorization: `Bearer ${token}` },
        viewport: { width: 1100, height: 900 },
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      const response = await page.goto(url);
      if (!response?.ok()) throw new Error(`GET ${url} answered ${response?.status()}: ${await response?.text()}`);
      const title = await page.title();
      const sections = await page.locator('section').evaluateAll((list) => list.map((s) => s.id));
      const charts = await page.locator('svg.chart').count();
      const expected = ['sla', 'open-requests', 'bundle', 'escalations', 'disruptions', 'satisfaction', 'changes'];
      if (!title.startsWith('Service Management Review') || expected.some((s) => !sections.includes(s)) || charts < 4) {
        throw new Error(
          `the review did not render: title "${title}", sections ${sections.join(', ')}, ${charts} charts`,
        );
      }
      mkdirSync(dirname(values.out as string), { recursive: true });
      await page.screenshot({ path: values.out as string, fullPage: true });
      console.log(
        `Rendered "${title}" (${sections.length} sections, ${charts} charts) from ${url}\nWrote ${values.out}`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    await cleanup();
  }
}

async function gql<T>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data?: T; errors?: { message: string }[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: { message: string }[] };
}

/** Hours booked and surveys answered on the customer's requests, so every section has figures. */
async function enrich(url: string, secret: string) {
  const token = (sub: string, roles: Role[], customerId?: string) => signDevToken(secret, { sub, roles, customerId });
  const manager = await token('p-enrich-msc', ['manager_service_center']);
  const customer = await token('p-marieke-bakker', ['customer'], CUSTOMER);
  const list = await gql<{
    requests: { edges: { node: { id: string; status: string; product: { id: string } | null } }[] };
  }>(
    url,
    manager,
    `query($filter: RequestFilter) { requests(filter: $filter, first: 50) { edges { node { id status product { id } } } } }`,
    { filter: { customer: [CUSTOMER] } },
  );
  if (list.errors) throw new Error(`listing the customer's requests failed: ${JSON.stringify(list.errors)}`);
  const requests = (list.data?.requests.edges ?? []).map((e) => e.node);
  const today = DateTime.now().setZone(ZONE).toISODate();
  const scores = [10, 9, 8, 6, 9, 10, 7];
  let booked = 0;
  let answered = 0;
  for (const [i, r] of requests.entries()) {
    const b = await gql(url, manager, `mutation($input: BookTimeInput!) { bookTime(input: $input) { __typename } }`, {
      input: { requestId: r.id, hours: 3 + (i % 4) * 2.5, workDate: today, description: 'analysis and fix' },
    });
    if (!b.errors) booked++;
    if (r.status === 'CLOSED') {
      const a = await gql(
        url,
        customer,
        `mutation($input: AnswerSurveyInput!) { answerSurvey(input: $input) { __typename } }`,
        {
          input: {
            requestId: r.id,
            score: scores[answered % scores.length],
            comment: answered % 2 === 0 ? 'Clear answers, quickly solved.' : null,
          },
        },
      );
      if (!a.errors) answered++;
    }
  }
  // An escalation by the service manager and a disruption notice with an update, as the team lead.
  const open = requests.find((r) => r.status !== 'CLOSED');
  const problems: string[] = [];
  const note = (what: string, r: { errors?: { message: string }[] }) =>
    r.errors && problems.push(`${what}: ${r.errors[0].message}`);
  if (open) {
    const sm = await token(SERVICE_MANAGER, ['service_manager']);
    note(
      'escalation',
      await gql(url, sm, `mutation($input: OpenEscalationInput!) { openEscalation(input: $input) { __typename } }`, {
        input: {
          requestIds: [open.id],
          reason: 'Payroll run at risk',
          businessImpact: 'Salaries late',
          desiredOutcome: 'A fix before the run',
        },
      }),
    );
  }
  const productId = requests.find((r) => r.product)?.product?.id;
  if (productId) {
    const lead = await token('p-sanne-jansen', ['team_lead']);
    const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const opened = await gql<{ openDisruptionNotice: { notice: { id: string } } }>(
      url,
      lead,
      `mutation($input: OpenDisruptionNoticeInput!) { openDisruptionNotice(input: $input) { notice { id } } }`,
      {
        input: {
          productId,
          source: 'MONITORING',
          title: 'Payslips load slowly',
          startedAt: inHours(-2),
          userExperience: 'Payslips take a minute to open',
          affectedCustomerIds: [CUSTOMER],
        },
      },
    );
    note('disruption', opened);
    const noticeId = opened.data?.openDisruptionNotice.notice.id;
    if (noticeId) {
      note(
        'publish',
        await gql(
          url,
          lead,
          `mutation($input: PublishDisruptionNoticeInput!) { publishDisruptionNotice(input: $input) { __typename } }`,
          { input: { noticeId, nextUpdateDueAt: inHours(1) } },
        ),
      );
      note(
        'update',
        await gql(
          url,
          lead,
          `mutation($input: PostDisruptionUpdateInput!) { postDisruptionUpdate(input: $input) { __typename } }`,
          { input: { noticeId, message: 'Cause found', nextUpdateDueAt: inHours(4) } },
        ),
      );
      note(
        'resolve',
        await gql(
          url,
          manager, // raci.csv row 126: product development (R) or the manager Service Center (A) decides it is solved
          `mutation($input: ResolveDisruptionNoticeInput!) { resolveDisruptionNotice(input: $input) { __typename } }`,
          { input: { noticeId, cause: 'A full disk', solution: 'Disk space added' } },
        ),
      );
    }
  }
  console.log(
    `Booked time on ${booked} and answered ${answered} surveys of ${requests.length} requests of ${CUSTOMER}${problems.length ? `; not done: ${problems.join('; ')}` : ''}`,
  );
}

/** The read models catch up through events: wait until the request topic stops growing. */
async function waitForReporting(url: string, token: string) {
  let last = -1;
  for (let i = 0; i < 120; i++) {
    const r = await gql<{ reportingFreshness: { journalEvents: number } }>(
      url,
      token,
      '{ reportingFreshness { journalEvents } }',
    );
    const n = r.data?.reportingFreshness.journalEvents ?? 0;
    if (n > 0 && n === last) return;
    last = n;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
