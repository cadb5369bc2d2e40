import type { LifecycleMutation, Priority, RequestStatus, RequestType } from '../steps';
import type { GenCustomer, GenDirectory, GenProduct, GenTeam } from './directory';
import { between, chance, intBetween, pick, pickSkewed, streamFor, weighted } from './prng';
import {
  APPLICATION_SERVICE_TEXTS,
  CHANGE_TEXTS,
  CUSTOMER_REPLIES,
  INCIDENT_TEXTS,
  INFORMATION_TEXTS,
  NOTES,
  REPLIES,
  SOLUTIONS,
  type Text,
} from './texts';
import { HOUR, WORKING_DAY, addWorking, fromWorking, toWorking } from './working-time';

/** One thing a person does, at a moment of the generated history. */
export type Op =
  | { kind: 'register'; as: string; input: Record<string, unknown> }
  /** `afterEvent`: the request reaches the state for this step through another service's event (retried until it has). */
  | { kind: 'request'; as: string; mutation: LifecycleMutation; input: Record<string, unknown>; afterEvent?: boolean }
  | { kind: 'openEscalation'; as: string; input: Record<string, unknown> }
  | {
      kind: 'escalation';
      as: string;
      mutation: 'recordEscalationStep' | 'closeEscalation';
      input: Record<string, unknown>;
    }
  | { kind: 'linkDisruption'; as: string; disruption: number }
  | { kind: 'openDisruption'; as: string; disruption: number; input: Record<string, unknown> }
  /**
   * A step of release testing. `saveAs` names the id the step gets back; input strings
   * `$name` are such ids of earlier steps of the same track (`$release`, `$run`, `$defect1`;
   * a test plan also names its cases `$case0`…); `$advice` is the release's advice as the
   * coordinator reads it just before deciding.
   */
  | { kind: 'uat'; as: string; mutation: UatMutation; input: Record<string, unknown>; saveAs?: string }
  /** `dueInMs`: nextUpdateDueAt is set to the clock at execution plus this. */
  | {
      kind: 'disruption';
      as: string;
      disruption: number;
      mutation: 'publishDisruptionNotice' | 'postDisruptionUpdate' | 'resolveDisruptionNotice';
      input: Record<string, unknown>;
      dueInMs?: number;
    }
  /** The driver's own: the clock ticks and the services' due timers fire. */
  | { kind: 'tick'; as: string };

export type UatMutation =
  | 'planRelease'
  | 'createTestPlan'
  | 'startTestRun'
  | 'recordTestResult'
  | 'reportDefect'
  | 'resolveDefect'
  | 'completeTestRun'
  | 'recordReleaseDecision';

export interface TimedStep {
  at: number;
  op: Op;
}

/** A request's history (or a disruption notice's), in time order. */
export interface Track {
  /** `r<index>` or `d<index>` */
  key: string;
  index: number;
  title: string;
  type?: RequestType;
  steps: TimedStep[];
  /** Where an "open at the end" story must leave its request (checked by the spec). */
  expect?: RequestStatus;
  /** A customer escalation about the request: played beside the request's own steps. */
  escalation?: TimedStep[];
}

export interface Plan {
  seed: number;
  requests: number;
  /** Registration times spread over [from, until], in working time. */
  from: number;
  until: number;
  directory: GenDirectory;
  disruptions: DisruptionPlan[];
  /** Request index → its disruption and place in it. */
  members: Map<number, { disruption: number; j: number }>;
  /** Requests from this index on end open, in every open status. */
  openFrom: number;
  /** The open ones register from here on (the last working days before `until`). */
  openStart: number;
}

export interface DisruptionPlan {
  index: number;
  product: GenProduct;
  team: GenTeam;
  start: number;
  resolveAt: number;
  memberCount: number;
  anchor: number;
}

export const TYPE_WEIGHTS: Record<RequestType, number> = {
  INCIDENT: 60,
  CHANGE: 20,
  INFORMATION: 15,
  APPLICATION_SERVICE: 5,
};
const PRIORITY_WEIGHTS: Record<Priority, number> = { HIGH: 10, MEDIUM: 50, LOW: 40 };
export const OPEN_STATUSES: readonly RequestStatus[] = [
  'REGISTERED',
  'WAITING_FOR_CUSTOMER',
  'ACCEPTED',
  'IN_HANDLING',
  'HANDED_OVER',
  'SOLUTION_PROPOSED',
  'REOPENED',
];
const TYPES: readonly RequestType[] = ['INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE'];
const MINUTE = 60_000;

export function makePlan(seed: number, requests: number, directory: GenDirectory, until: number, months = 12): Plan {
  const from = until - Math.round(months * 30.44 * 24 * HOUR);
  const openFrom = requests - Math.min(requests, Math.max(14, Math.round(requests * 0.01)));
  const disruptions: DisruptionPlan[] = [];
  const members = new Map<number, { disruption: number; j: number }>();
  const count = requests < 40 ? 0 : Math.max(1, Math.round(requests / 4000));
  const memberCount = Math.min(25, Math.max(2, Math.round(requests / 2000)));
  for (let d = 0; d < count; d++) {
    const rng = streamFor(seed, 2, d);
    const anchor = Math.floor(((d + 0.5) * openFrom) / count);
    if (anchor < 4 || anchor + memberCount >= openFrom) continue;
    const product = pickSkewed(rng, directory.products);
    const team = directory.teams.find((t) => t.id === product.teamId) as GenTeam;
    const start = addWorking(registrationSlot(from, until, requests, anchor), 30 * MINUTE);
    disruptions.push({
      index: d,
      product,
      team,
      start,
      resolveAt: addWorking(start, Math.round(between(rng, 2, 5) * HOUR)),
      memberCount,
      anchor,
    });
    for (let j = 0; j < memberCount; j++) members.set(anchor + j, { disruption: d, j });
  }
  const openStart = fromWorking(toWorking(until) - 2.5 * WORKING_DAY);
  return { seed, requests, from, until, directory, disruptions, members, openFrom, openStart };
}

/** Releases tested over the year: one per 250 requests, at most a monthly release of every product. */
export const releaseCountFor = (requests: number, products: number) =>
  requests < 40 ? 0 : Math.min(products * 12, Math.max(1, Math.round(requests / 250)));

/**
 * The release testing of the products that ship in the generated year, one track per product
 * (its test plan is made at its first release and reused): for each release the UAT
 * coordinator plans it about two weeks before its production date and starts a run with two
 * of the product team's consultants, who record the cases; 70 % pass everything, 20 % fail
 * a major or minor case with a minor defect (GO WITH CONDITIONS), 10 % fail the critical
 * case with a blocking defect (NO-GO), which is resolved and retested before a GO. The
 * coordinator decides as advised.
 */
export function releaseTracks(plan: Plan): Track[] {
  const dir = plan.directory;
  const total = releaseCountFor(plan.requests, dir.products.length);
  const span = plan.until - plan.from;
  const perProduct = Math.ceil(total / dir.products.length);
  const byProduct = new Map<number, number[]>();
  for (let r = 0; r < total; r++) {
    const dates = byProduct.get(r % dir.products.length) ?? [];
    dates.push(plan.from + ((Math.floor(r / dir.products.length) + 0.5) * span) / perProduct);
    byProduct.set(r % dir.products.length, dates);
  }
  const tracks: Track[] = [];
  for (const [p, dates] of byProduct) {
    const product = dir.products[p];
    const team = dir.teams.find((t) => t.id === product.teamId) as GenTeam;
    const rng = streamFor(plan.seed, 5, p);
    const uat = dir.uatCoordinator;
    const steps: TimedStep[] = [];
    let t = 0;
    const add = (as: string, mutation: UatMutation, input: Record<string, unknown>, saveAs?: string) =>
      steps.push({ at: t, op: { kind: 'uat', as, mutation, input, saveAs } });
    const productNo = Number(product.id.slice(-2));
    let defects = 0;
    dates.forEach((production, k) => {
      t = Math.max(t, plan.from, addWorking(production, -10 * WORKING_DAY));
      const version = `${new Date(production).getUTCFullYear() % 100}.${new Date(production).getUTCMonth() + 1}.${k + 1}`;
      add(
        uat,
        'planRelease',
        {
          productId: product.id,
          releaseVersion: version,
          plannedProductionDate: new Date(production).toISOString(),
          releaseNotes: `${product.name} ${version}: improvements and fixes.`,
        },
        'release',
      );
      if (k === 0) {
        t = addWorking(t, 30 * MINUTE);
        add(
          uat,
          'createTestPlan',
          {
            productId: product.id,
            name: `${product.name} regression`,
            cases: UAT_CASES.map((c) => ({ ...c, title: c.title.replace('{p}', product.name) })),
          },
          'plan',
        );
      }
      const testers = [pick(rng, team.consultantIds), pick(rng, team.consultantIds)].filter(
        (id, i, all) => all.indexOf(id) === i,
      );
      const run = (retest: boolean, failing: number | null) => {
        t = addWorking(t, between(rng, 0.5, 2) * WORKING_DAY);
        add(
          uat,
          'startTestRun',
          { releaseId: '$release', ...(retest ? {} : { testPlanId: '$plan' }), testerIds: testers },
          'run',
        );
        UAT_CASES.forEach((c, i) => {
          t = addWorking(t, between(rng, 0.3, 3) * HOUR);
          const failed = i === failing;
          add(testers[i % testers.length], 'recordTestResult', {
            runId: '$run',
            caseId: `$case${i}`,
            outcome: failed ? 'FAILED' : 'PASSED',
            ...(failed ? { note: 'The result differs from what is expected.' } : {}),
          });
          if (failed) {
            defects += 1;
            t = addWorking(t, between(rng, 10, 60) * MINUTE);
            const severity = c.criticality === 'CRITICAL' ? 'BLOCKING' : 'MINOR';
            add(
              testers[i % testers.length],
              'reportDefect',
              {
                runId: '$run',
                title: `${product.name} ${version}: ${c.title.replace('{p}', product.name).toLowerCase()} fails`,
                description: 'Found in the user acceptance test.',
                severity,
                caseIds: [`$case${i}`],
                changeRefs: [`PD-${productNo}${String(intBetween(rng, 1, 3)).padStart(3, '0')}`],
              },
              `defect${defects}`,
            );
          }
        });
        t = addWorking(t, between(rng, 0.5, 4) * HOUR);
        add(uat, 'completeTestRun', { runId: '$run' });
        t = addWorking(t, between(rng, 0.5, 8) * HOUR);
        add(uat, 'recordReleaseDecision', {
          releaseId: '$release',
          decision: '$advice',
          rationale: 'Decided as advised by the test results.',
        });
      };
      const roll = rng();
      if (roll < 0.7) run(false, null);
      else if (roll < 0.9) run(false, intBetween(rng, 1, UAT_CASES.length - 1));
      else {
        run(false, 0);
        const defect = `$defect${defects}`;
        t = addWorking(t, between(rng, 1, 4) * WORKING_DAY);
        add(uat, 'resolveDefect', { defectId: defect, resolution: 'Fixed by product development in a new build.' });
        run(true, null);
      }
    });
    tracks.push({ key: `u${p}`, index: p, title: `release testing of ${product.name}`, steps });
  }
  return tracks;
}

/** The regression cases of a product's test plan: the first is critical. */
const UAT_CASES = [
  {
    title: 'Log in and open {p}',
    steps: ['Log in as a key user', 'Open {p}'],
    expectedResult: 'The start page shows without errors.',
    criticality: 'CRITICAL',
  },
  {
    title: 'Create and save a record',
    steps: ['Create a record', 'Save it'],
    expectedResult: 'The record is saved and listed.',
    criticality: 'MAJOR',
  },
  {
    title: 'Export the overview',
    steps: ['Open the overview', 'Export to CSV'],
    expectedResult: 'The export holds every row.',
    criticality: 'MAJOR',
  },
  {
    title: 'Change a setting',
    steps: ['Open the settings', 'Change the language'],
    expectedResult: 'The setting is kept after logging in again.',
    criticality: 'MINOR',
  },
  {
    title: 'Print a document',
    steps: ['Open a document', 'Print it'],
    expectedResult: 'The print preview matches the screen.',
    criticality: 'MINOR',
  },
];

/** The earliest a request of this index registers: its share of the working time between from and until. */
export function registrationSlot(from: number, until: number, requests: number, index: number, u = 0): number {
  const w0 = toWorking(from);
  const w1 = toWorking(until) - WORKING_DAY; // keep the last day for the open stories
  return fromWorking(w0 + ((w1 - w0) * (index + u)) / requests);
}

/**
 * No request from `index` on registers before this: the player makes histories lazily in
 * index order and needs to know when the next one may start. Registration slots grow with
 * the index; the open stories and a disruption's requests register at their own moments.
 */
export function earliestFrom(plan: Plan, index: number): number {
  let t = Math.min(registrationSlot(plan.from, plan.until, plan.requests, index), plan.openStart);
  for (const d of plan.disruptions) if (d.anchor + d.memberCount > index) t = Math.min(t, d.start);
  return t;
}

/** The history of request `index`: a pure function of the plan and the index. */
export function requestTrack(plan: Plan, index: number): Track {
  const rng = streamFor(plan.seed, 0, index);
  const dir = plan.directory;
  const member = plan.members.get(index);
  const disruption = member ? plan.disruptions.find((d) => d.index === member.disruption) : undefined;
  const openTarget =
    index >= plan.openFrom ? OPEN_STATUSES[(plan.requests - 1 - index) % OPEN_STATUSES.length] : undefined;

  let type: RequestType = index < 4 ? TYPES[index] : weighted(rng, TYPE_WEIGHTS);
  if (disruption) type = 'INCIDENT';
  if (openTarget === 'HANDED_OVER' && (type === 'INFORMATION' || type === 'APPLICATION_SERVICE')) type = 'CHANGE';
  // No row of raci.csv lets anyone reopen an application service: a reopened story is another type.
  if (openTarget === 'REOPENED' && type === 'APPLICATION_SERVICE') type = 'INCIDENT';
  let customer = pickSkewed(rng, dir.customers, 1.6);
  if (type === 'APPLICATION_SERVICE' && !customer.applicationServicesContract && (openTarget || chance(rng, 0.85)))
    customer = dir.customers.find((c) => c.applicationServicesContract) as GenCustomer;
  const user = pick(rng, customer.userIds);
  const product = disruption ? disruption.product : pickSkewed(rng, dir.products, 1.4);
  const team = dir.teams.find((t) => t.id === product.teamId) as GenTeam;
  const consultant = pick(rng, team.consultantIds);
  const requested: Priority = disruption
    ? 'HIGH'
    : type === 'INFORMATION'
      ? chance(rng, 0.7)
        ? 'LOW'
        : 'MEDIUM'
      : weighted(rng, PRIORITY_WEIGHTS);
  const text = pick(rng, textsOf(type));
  const title = `${text.title.replace('{p}', product.name)} · #${plan.seed}-${String(index).padStart(7, '0')}`;

  const steps: TimedStep[] = [];
  let t: number;
  if (openTarget) t = addWorking(plan.openStart, between(rng, 0, 3 * HOUR));
  else if (disruption && member)
    t = addWorking(
      disruption.start,
      ((member.j + 1) * (toWorking(disruption.resolveAt) - toWorking(disruption.start)) * 0.5) /
        (disruption.memberCount + 1),
    );
  else t = registrationSlot(plan.from, plan.until, plan.requests, index, rng());
  /** Next step `ms` of working time later (open stories: compressed so they end before `until`). */
  const after = (ms: number) => (t = addWorking(t, openTarget ? Math.min(ms, 1.5 * HOUR) : ms));
  const add = (as: string, mutation: LifecycleMutation, input: Record<string, unknown> = {}) =>
    steps.push({ at: t, op: { kind: 'request', as, mutation, input } });

  // Registration: the customer, or the desk taking a phone call; some incomplete
  const incomplete =
    !disruption &&
    (type === 'INCIDENT' || type === 'CHANGE') &&
    (openTarget === 'WAITING_FOR_CUSTOMER' || (!openTarget && chance(rng, 0.1)));
  const byPhone = !incomplete && chance(rng, 0.05);
  const fill = (s: string) => s.replace('{p}', product.name);
  const register: Record<string, unknown> = {
    type,
    productId: product.id,
    title,
    description: fill(text.description),
    requestedPriority: requested,
  };
  if (!incomplete && text.impact) register.businessImpact = fill(text.impact);
  if (!incomplete && type === 'INCIDENT')
    register.evidence = [
      {
        kind: chance(rng, 0.6) ? 'SCREENSHOT' : 'ERROR_MESSAGE',
        name: 'screen.png',
        contentType: 'image/png',
        sizeBytes: intBetween(rng, 20_000, 900_000),
        text: 'Error E-500',
      },
    ];
  if (byPhone) Object.assign(register, { customerId: customer.id, requesterId: user });
  steps.push({ at: t, op: { kind: 'register', as: byPhone ? consultant : user, input: register } });
  const track: Track = { key: `r${index}`, index, title, type, steps, expect: openTarget };
  if (openTarget === 'WAITING_FOR_CUSTOMER') return track;
  if (type === 'APPLICATION_SERVICE' && !customer.applicationServicesContract) return track; // declined at registration

  if (incomplete) {
    after(between(rng, 0.1, 2.5) * WORKING_DAY);
    add(user, 'updateRequest', {
      businessImpact: fill(text.impact),
      addEvidence:
        type === 'INCIDENT'
          ? [{ kind: 'SCREENSHOT', name: 'screen.png', contentType: 'image/png', sizeBytes: 120_000 }]
          : undefined,
      message: 'Added what was missing.',
    });
  }
  if (disruption) {
    // A request about a disruption: linked to the notice at once and taken in; resolving the
    // notice proposes its solution to the linked requests (the requests service does that).
    after(5 * MINUTE);
    steps.push({ at: t, op: { kind: 'linkDisruption', as: team.leadId, disruption: disruption.index } });
    after(5 * MINUTE);
    add(consultant, 'assignRequest', { assigneeId: consultant });
    after(5 * MINUTE);
    add(consultant, 'prioritiseRequest', { priority: 'HIGH' });
    if (chance(rng, 0.3)) return track; // no answer: the reminders run and it closes by itself
    t = addWorking(disruption.resolveAt, between(rng, 0.2, 1) * WORKING_DAY);
    steps.push({
      at: t,
      op: {
        kind: 'request',
        as: user,
        mutation: 'respondToSolution',
        input: { accepted: true, comment: 'Works again, thank you.' },
        afterEvent: true,
      },
    });
    return track;
  }
  if (openTarget === 'REGISTERED') {
    if (chance(rng, 0.5)) add(team.leadId, 'assignRequest', { assigneeId: consultant });
    return track;
  }

  // Intake: assign, prioritise, in-handling notice, accept
  if (!openTarget && chance(rng, 0.03)) {
    after(between(rng, 0.5, 6) * HOUR);
    add(consultant, 'assignRequest', { assigneeId: consultant });
    after(between(rng, 0.2, 2) * HOUR);
    add(consultant, 'closeRequest', {
      reason: 'DUPLICATE',
      note: 'Same question as an earlier request of your organisation; we keep you informed there.',
    });
    return track;
  }
  if (!openTarget && chance(rng, 0.02)) {
    after(between(rng, 0.5, 6) * HOUR);
    add(user, 'closeRequest', { reason: 'WITHDRAWN', note: 'Solved it ourselves, thank you.' });
    return track;
  }
  after(between(rng, 0.2, 6) * HOUR);
  if (chance(rng, 0.7)) add(team.leadId, 'assignRequest', { assigneeId: consultant });
  else add(consultant, 'assignRequest', { assigneeId: consultant });
  const priority: Priority = chance(rng, 0.15)
    ? pick(
        rng,
        (['HIGH', 'MEDIUM', 'LOW'] as Priority[]).filter((p) => p !== requested),
      )
    : requested;
  after(between(rng, 0.05, 1.5) * HOUR);
  add(consultant, 'prioritiseRequest', {
    priority,
    justification: priority === requested ? undefined : 'Business impact checked with the customer.',
  });
  after(between(rng, 0.05, 3) * HOUR);
  add(consultant, 'sendInHandlingNotice', {});
  if (!openTarget && chance(rng, 0.06)) {
    after(between(rng, 0.1, 2) * HOUR);
    add(consultant, 'requestInformation', {
      missing: ['The exact steps to reproduce', 'The affected records'],
      message: 'To continue we need:',
    });
    after(between(rng, 0.2, 2.5) * WORKING_DAY);
    add(user, 'updateRequest', {
      description: `${fill(text.description)} Steps and records added as asked.`,
      message: 'Here is what you asked for.',
    });
  }
  if (type === 'CHANGE' && !openTarget && chance(rng, 0.05)) {
    after(between(rng, 1, 8) * HOUR);
    add(consultant, 'closeRequest', { reason: 'DECLINED', note: 'This does not fit the product roadmap.' });
    return track;
  }
  after(between(rng, 0.1, 4) * HOUR);
  add(consultant, 'acceptRequest');
  if (openTarget === 'ACCEPTED') return track;
  after(between(rng, 0.2, 12) * HOUR);
  add(consultant, 'startHandling');

  // Escalation by the customer's service manager: a few per thousand requests
  const escalate = !openTarget && !disruption && type === 'INCIDENT' && chance(rng, priority === 'HIGH' ? 0.04 : 0.002);
  if (escalate) {
    const sm = customer.serviceManagerId;
    const esc: TimedStep[] = (track.escalation = []);
    let e = addWorking(t, between(rng, 0.5, 2) * WORKING_DAY);
    esc.push({
      at: e,
      op: {
        kind: 'openEscalation',
        as: sm,
        input: {
          reason: 'The customer is not satisfied with the progress.',
          businessImpact: fill(text.impact) || 'Work is blocked.',
          desiredOutcome: 'A solution or workaround within two days.',
        },
      },
    });
    const escalationSteps = [
      'FACT_FINDING',
      'ALIGNED_WITH_TEAM_LEAD',
      'CUSTOMER_INFORMED',
      ...(chance(rng, 0.3) ? ['ESCALATED_TO_MANAGER_SERVICE_CENTER'] : []),
    ];
    for (const step of escalationSteps) {
      e = addWorking(e, between(rng, 0.5, 4) * HOUR);
      esc.push({
        at: e,
        op: {
          kind: 'escalation',
          as: sm,
          mutation: 'recordEscalationStep',
          input: { step, note: `${step.toLowerCase().replace(/_/g, ' ')} done.` },
        },
      });
    }
    e = addWorking(e, between(rng, 1, 3) * WORKING_DAY);
    esc.push({
      at: e,
      op: {
        kind: 'escalation',
        as: sm,
        mutation: 'closeEscalation',
        input: { outcome: 'Agreed plan delivered; the customer is satisfied.' },
      },
    });
  }

  // Handling: notes and replies, maybe a wait for the customer
  for (let k = 0, notes = openTarget ? 1 : intBetween(rng, 0, 3); k < notes; k++) {
    after(between(rng, 0.3, 8) * HOUR);
    if (chance(rng, 0.5)) add(consultant, 'addReply', { body: pick(rng, NOTES), internal: true });
    else add(consultant, 'addReply', { body: pick(rng, REPLIES) });
    if (!openTarget && chance(rng, 0.3)) {
      after(between(rng, 0.3, 8) * HOUR);
      add(user, 'addReply', { body: pick(rng, CUSTOMER_REPLIES) });
    }
  }
  if (!openTarget && chance(rng, 0.08)) {
    after(between(rng, 0.5, 8) * HOUR);
    add(consultant, 'requestInformation', {
      missing: ['A screenshot of the settings screen'],
      message: 'Could you send us:',
    });
    after(between(rng, 0.2, 2.5) * WORKING_DAY);
    add(user, 'updateRequest', {
      addEvidence: [{ kind: 'SCREENSHOT', name: 'settings.png', contentType: 'image/png', sizeBytes: 210_000 }],
      message: 'Screenshot attached.',
    });
  }
  if (openTarget === 'IN_HANDLING') return track;

  // Hand-over to product development (a change shared by customers) or Consulting
  const handOver =
    openTarget === 'HANDED_OVER' ||
    (!disruption &&
      (type === 'INCIDENT'
        ? chance(rng, 0.12)
        : type === 'CHANGE'
          ? chance(rng, 0.55)
          : type === 'APPLICATION_SERVICE'
            ? chance(rng, 0.05)
            : false));
  if (handOver) {
    // An incident goes to product development only; a change to product development or Consulting; an application service to Consulting.
    const toPd = type === 'INCIDENT' || (type === 'CHANGE' && (openTarget === 'HANDED_OVER' || chance(rng, 0.8)));
    after(between(rng, 0.5, 2) * WORKING_DAY);
    add(consultant, 'handOverRequest', {
      target: toPd ? 'PRODUCT_DEVELOPMENT' : 'CONSULTING',
      note: toPd
        ? 'Product defect or wish for product development; reproduced and documented.'
        : 'Consultancy work for the implementation office.',
    });
    if (toPd) {
      const productNo = Number(product.id.slice(-2));
      const pool = Math.max(3, Math.ceil(plan.requests / 2000));
      const ref = `PD-${productNo}${String(Math.floor(Math.pow(rng(), 2) * pool) + 1).padStart(3, '0')}`;
      after(between(rng, 0.2, 2) * WORKING_DAY);
      add(pick(rng, dir.pdCoordinators), 'linkChange', {
        changeRef: ref,
        kind: type === 'CHANGE' ? 'NEW_FUNCTIONALITY' : 'BUG',
        title: `${product.name}: ${type === 'CHANGE' ? 'new functionality' : 'defect'} ${ref}`,
      });
    }
    if (openTarget === 'HANDED_OVER') return track;
    after(between(rng, 3, toPd ? 30 : 10) * WORKING_DAY);
    if (type !== 'APPLICATION_SERVICE' && chance(rng, 0.5)) add(consultant, 'startHandling');
  }

  // Solution (or the executed mutation) and the customer's answer
  const propose = () => {
    if (type === 'APPLICATION_SERVICE')
      add(consultant, 'executeMutation', {
        executedBy: chance(rng, 0.6) ? 'ROBOT' : 'HAND',
        description: 'The mutation was executed as requested.',
      });
    else
      add(consultant, 'proposeSolution', {
        solution: pick(rng, SOLUTIONS),
        kind: type === 'INCIDENT' && chance(rng, 0.3) ? 'WORKAROUND' : 'SOLUTION',
      });
  };
  after(between(rng, 0.5, priority === 'HIGH' ? 8 : 40) * HOUR);
  propose();
  if (openTarget === 'SOLUTION_PROPOSED') return track;
  if (!openTarget && chance(rng, 0.1)) {
    after(between(rng, 0.2, 3) * WORKING_DAY);
    add(user, 'respondToSolution', { accepted: false, comment: 'This does not solve it for us.' });
    after(between(rng, 0.5, 3) * WORKING_DAY);
    propose();
  }
  // One in five customers never answers: the reminders run and the request closes by itself.
  if (!openTarget && chance(rng, 0.2)) return track;
  after(between(rng, 0.1, 4) * WORKING_DAY);
  add(user, 'respondToSolution', { accepted: true, comment: chance(rng, 0.5) ? 'Works, thank you.' : undefined });

  // Reopen: the same question comes back; a different question becomes a new request
  if (openTarget === 'REOPENED' || (type !== 'APPLICATION_SERVICE' && chance(rng, 0.04))) {
    after(between(rng, 0.5, openTarget ? 1 : 8) * WORKING_DAY);
    add(user, 'reopenRequest', { message: 'The problem is back since this morning.' });
    if (openTarget) return track;
    after(between(rng, 0.2, 4) * HOUR);
    if (chance(rng, 0.25)) {
      add(consultant, 'treatAsNewRequest', {
        title: `Follow-up question about ${product.name} (request ${index} of seed ${plan.seed})`,
        description: 'The customer asks a different question than the one that was solved.',
      });
      return track;
    }
    add(consultant, 'startHandling');
    after(between(rng, 1, 16) * HOUR);
    propose();
    after(between(rng, 0.1, 3) * WORKING_DAY);
    add(user, 'respondToSolution', { accepted: true });
  }
  return track;
}

/** A disruption notice from draft to resolved (it closes by itself four hours later). */
export function disruptionTrack(plan: Plan, d: DisruptionPlan): Track {
  const rng = streamFor(plan.seed, 4, d.index);
  const lead = d.team.leadId;
  const title = `${d.product.name} unavailable · #${plan.seed}-D${d.index}`;
  const steps: TimedStep[] = [];
  const opened = d.start - 10 * MINUTE;
  steps.push({
    at: opened,
    op: {
      kind: 'openDisruption',
      as: lead,
      disruption: d.index,
      input: {
        productId: d.product.id,
        // Not CUSTOMER_REPORT: a customer-reported notice is published only once the customer's High request
        // is linked (raci.csv row 119), and the seed links its requests after the first notice.
        source: chance(rng, 0.5) ? 'MONITORING' : 'PRODUCT_DEVELOPMENT',
        title,
        userExperience: 'Users get an error page when they open the application.',
      },
    },
  });
  steps.push({
    at: d.start,
    op: {
      kind: 'disruption',
      as: lead,
      disruption: d.index,
      mutation: 'publishDisruptionNotice',
      input: { startedAt: new Date(d.start - 30 * MINUTE).toISOString() },
      dueInMs: 90 * MINUTE,
    },
  });
  steps.push({
    at: addWorking(d.start, HOUR),
    op: {
      kind: 'disruption',
      as: lead,
      disruption: d.index,
      mutation: 'postDisruptionUpdate',
      input: { message: 'The cause is found; a fix is being deployed.' },
      dueInMs: 3 * HOUR,
    },
  });
  steps.push({
    at: d.resolveAt,
    op: {
      kind: 'disruption',
      // raci.csv row 126: product development (R) or the manager Service Center (A) decides it is solved.
      as: plan.directory.managerServiceCenter,
      disruption: d.index,
      mutation: 'resolveDisruptionNotice',
      input: {
        cause: 'A storage component stopped responding after maintenance.',
        solution: 'The component was restarted and monitoring was extended.',
      },
    },
  });
  return { key: `d${d.index}`, index: d.index, title, steps };
}

function textsOf(type: RequestType): readonly Text[] {
  return type === 'INCIDENT'
    ? INCIDENT_TEXTS
    : type === 'CHANGE'
      ? CHANGE_TEXTS
      : type === 'INFORMATION'
        ? INFORMATION_TEXTS
        : APPLICATION_SERVICE_TEXTS;
}

/** Steps at or before `until`, sorted by time (stable): later ones have not happened yet. */
export function truncate(track: Track, until: number): Track {
  const upTo = (list: TimedStep[]) => {
    const steps = list
      .map((s, i) => ({ s, i }))
      .sort((a, b) => a.s.at - b.s.at || a.i - b.i)
      .map((x) => x.s);
    const cut = steps.findIndex((s) => s.at > until);
    return cut < 0 ? steps : steps.slice(0, cut);
  };
  const escalation = track.escalation && upTo(track.escalation);
  return { ...track, steps: upTo(track.steps), escalation: escalation?.length ? escalation : undefined };
}
