import { badInput, invalidTransition } from '@servicecenter/platform-errors';

/** DOMAIN.md "Service management", customer escalation: the steps in the order they are taken. */
export const ESCALATION_STEPS = [
  'FACT_FINDING',
  'ALIGNED_WITH_TEAM_LEAD',
  'CUSTOMER_INFORMED',
  'ESCALATED_TO_MANAGER_SERVICE_CENTER',
  'ESCALATED_TO_PRODUCT_OWNER',
] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];
export type EscalationStatus = 'OPEN' | 'CLOSED';
export type Priority = 'HIGH' | 'MEDIUM' | 'LOW';

export interface StepRecord {
  step: EscalationStep;
  by: string;
  at: Date;
  note: string;
}

export interface Escalation {
  id: string;
  number: string;
  customerId: string;
  requestIds: string[];
  status: EscalationStatus;
  reason: string;
  businessImpact: string;
  desiredOutcome: string;
  openedBy: string;
  openedAt: Date;
  steps: StepRecord[];
  outcome: string | null;
  closedBy: string | null;
  closedAt: Date | null;
  version: number;
}

/** What the escalations service knows of a request, from the request events. */
export interface RequestView {
  requestId: string;
  number: string;
  type: string;
  customerId: string;
  productId: string | null;
  productGroupId: string | null;
  teamId: string | null;
  requestedPriority: Priority | null;
  priority: Priority | null;
  status: string;
  lastPublicUpdateAt: Date | null;
  updatedAt: Date;
  version: number;
}

/** ESC-2026-0001: year of opening and a counter per year. */
export const escalationNumber = (year: number, sequence: number) => `ESC-${year}-${String(sequence).padStart(4, '0')}`;

export const NO_REQUEST_MESSAGE = 'No request, no escalation: the customer must register a request first';

/**
 * A new escalation on requests the read model knows. Every request must exist (otherwise the
 * customer registers one first) and they must all be of one customer.
 */
export function newEscalation(fields: {
  id: string;
  number: string;
  requests: RequestView[];
  reason: string;
  businessImpact: string;
  desiredOutcome: string;
  openedBy: string;
  now: Date;
}): Escalation {
  if (fields.requests.length === 0) throw badInput('input.requestIds', NO_REQUEST_MESSAGE);
  const customers = new Set(fields.requests.map((r) => r.customerId));
  if (customers.size > 1)
    throw badInput(
      'input.requestIds',
      `One escalation is about one customer; these requests belong to ${[...customers].join(', ')}`,
    );
  return {
    id: fields.id,
    number: fields.number,
    customerId: fields.requests[0].customerId,
    requestIds: fields.requests.map((r) => r.requestId),
    status: 'OPEN',
    reason: fields.reason,
    businessImpact: fields.businessImpact,
    desiredOutcome: fields.desiredOutcome,
    openedBy: fields.openedBy,
    openedAt: fields.now,
    steps: [],
    outcome: null,
    closedBy: null,
    closedAt: null,
    version: 1,
  };
}

/** The step that can be taken next, or null when all are taken or the escalation is closed. */
export function nextStep(escalation: Pick<Escalation, 'status' | 'steps'>): EscalationStep | null {
  if (escalation.status !== 'OPEN') return null;
  return ESCALATION_STEPS[escalation.steps.length] ?? null;
}

/**
 * Where the escalation stands, for error messages, always in the schema's enum values: the
 * last EscalationStep taken, else its EscalationStatus (OPEN, CLOSED). Never a word of its own
 * (it said OPENED where EscalationStatus says OPEN).
 */
export const stageOf = (escalation: Pick<Escalation, 'status' | 'steps'>): EscalationStatus | EscalationStep =>
  escalation.status === 'CLOSED' ? 'CLOSED' : (escalation.steps[escalation.steps.length - 1]?.step ?? 'OPEN');

/** Records the next step; a step out of order is INVALID_TRANSITION naming the allowed next step. */
export function recordStep(
  escalation: Escalation,
  step: EscalationStep,
  by: string,
  note: string,
  at: Date,
): Escalation {
  const next = nextStep(escalation);
  if (step !== next) {
    const done = escalation.steps.some((s) => s.step === step);
    const reason =
      escalation.status === 'CLOSED'
        ? 'the escalation is closed'
        : done
          ? `${step} was already recorded`
          : next
            ? `steps are taken in order; next is ${next}`
            : 'all steps are taken';
    throw invalidTransition(stageOf(escalation), step, next ? [next] : [], { reason });
  }
  return { ...escalation, steps: [...escalation.steps, { step, by, at, note }], version: escalation.version + 1 };
}

export function closeEscalation(escalation: Escalation, outcome: string, by: string, at: Date): Escalation {
  if (escalation.status !== 'OPEN')
    throw invalidTransition('CLOSED', 'CLOSE', [], { reason: 'the escalation is already closed' });
  return { ...escalation, status: 'CLOSED', outcome, closedBy: by, closedAt: at, version: escalation.version + 1 };
}

const RANK: Record<Priority, number> = { LOW: 1, MEDIUM: 2, HIGH: 3 };

/** The request's current priority: the Service Center's, or the requested one until it set one. */
export const currentPriority = (request: Pick<RequestView, 'priority' | 'requestedPriority'>): Priority | null =>
  request.priority ?? request.requestedPriority;

/** True when the impact a service manager assessed on the phone is above the request's priority. */
export const impactHigherThan = (impact: Priority, priority: Priority | null) =>
  priority === null || RANK[impact] > RANK[priority];
