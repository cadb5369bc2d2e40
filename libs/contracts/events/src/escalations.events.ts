import { z } from 'zod';
import { defineEvent } from './event-contract';
import { PrioritySchema } from './requests.events';
import { Topics } from './topics';

/**
 * A team manager approved a service manager's ask to change a request's priority. The
 * requests service applies it with the justification given here and reports back through
 * its own request.prioritised event.
 */
export const PriorityChangeApproved = defineEvent({
  type: 'servicecenter.escalation.priority-change-approved.v1',
  topic: Topics.escalations,
  description:
    'A team manager approved a priority change asked by a service manager; the requests service applies it to the request.',
  schema: z.object({
    askId: z.uuid(),
    requestId: z.uuid(),
    escalationId: z.uuid().nullable().describe('The customer escalation the ask belongs to, if any'),
    priority: PrioritySchema.describe('The new priority'),
    justification: z
      .string()
      .describe('Recorded on the request, e.g. "agreed in escalation ESC-2026-0001: payroll run at risk"'),
    askedBy: z.string(),
    decidedBy: z.string(),
    decidedAt: z.iso.datetime({ offset: true }),
  }),
});

const at = z.iso.datetime({ offset: true });

export const EscalationStepSchema = z.enum([
  'FACT_FINDING',
  'ALIGNED_WITH_TEAM_LEAD',
  'CUSTOMER_INFORMED',
  'ESCALATED_TO_MANAGER_SERVICE_CENTER',
  'ESCALATED_TO_PRODUCT_OWNER',
]);

/** The facts every customer-escalation event carries (the escalation after the change). */
const escalationFacts = {
  escalationId: z.uuid(),
  number: z.string().describe('Human number, e.g. ESC-2026-0001'),
  customerId: z.string(),
  requestIds: z.array(z.uuid()).describe('The requests the customer escalated'),
  status: z.enum(['OPEN', 'CLOSED']),
  occurredAt: at,
  version: z.number().int().describe("Escalation version after this event; orders one escalation's events"),
};

export const EscalationOpened = defineEvent({
  type: 'servicecenter.escalation.opened.v1',
  topic: Topics.escalations,
  description: 'A service manager opened a customer escalation on one or more registered requests.',
  schema: z.object({
    ...escalationFacts,
    reason: z.string(),
    businessImpact: z.string(),
    desiredOutcome: z.string(),
    openedBy: z.string(),
  }),
});

export const EscalationStepRecorded = defineEvent({
  type: 'servicecenter.escalation.step-recorded.v1',
  topic: Topics.escalations,
  description:
    'The next step of a customer escalation was taken (fact finding, alignment with the team lead, customer informed, escalated to the manager Service Center, escalated to the product owner).',
  schema: z.object({ ...escalationFacts, step: EscalationStepSchema, by: z.string(), note: z.string() }),
});

export const EscalationClosed = defineEvent({
  type: 'servicecenter.escalation.closed.v1',
  topic: Topics.escalations,
  description: 'A customer escalation was closed with an outcome.',
  schema: z.object({ ...escalationFacts, outcome: z.string(), closedBy: z.string() }),
});

/** The facts every ask event carries. */
const askFacts = {
  askId: z.uuid(),
  requestId: z.uuid(),
  requestNumber: z.string(),
  customerId: z.string(),
  teamId: z.string().nullable().describe("The team of the request's product: its team manager decides"),
  escalationId: z.uuid().nullable(),
  askedBy: z.string(),
  occurredAt: at,
};

export const PriorityChangeAsked = defineEvent({
  type: 'servicecenter.escalation.priority-change-asked.v1',
  topic: Topics.escalations,
  description: "A service manager asked the product's team manager to change a request's priority.",
  schema: z.object({
    ...askFacts,
    priority: PrioritySchema,
    currentPriority: PrioritySchema.nullable(),
    reason: z.string(),
  }),
});

export const PriorityChangeRejected = defineEvent({
  type: 'servicecenter.escalation.priority-change-rejected.v1',
  topic: Topics.escalations,
  description: 'A team manager rejected a priority change asked by a service manager.',
  schema: z.object({ ...askFacts, priority: PrioritySchema, reason: z.string(), decidedBy: z.string() }),
});

export const StatusUpdateAsked = defineEvent({
  type: 'servicecenter.escalation.status-update-asked.v1',
  topic: Topics.escalations,
  description: "A service manager asked the product's team manager for a status update on a request.",
  schema: z.object({ ...askFacts, question: z.string() }),
});

export const StatusUpdateAnswered = defineEvent({
  type: 'servicecenter.escalation.status-update-answered.v1',
  topic: Topics.escalations,
  description: "A team manager answered a service manager's status-update ask.",
  schema: z.object({ ...askFacts, question: z.string(), answer: z.string(), answeredBy: z.string() }),
});

export const UrgentCallLogged = defineEvent({
  type: 'servicecenter.escalation.urgent-call-logged.v1',
  topic: Topics.escalations,
  description:
    "A service manager logged a customer's phone call about an urgent disruption, with the assessed impact against the request's priority.",
  schema: z.object({
    callId: z.uuid(),
    requestId: z.uuid(),
    requestNumber: z.string(),
    customerId: z.string(),
    escalationId: z.uuid().nullable(),
    assessedImpact: PrioritySchema,
    priorityAtCall: PrioritySchema.nullable().describe("The request's priority when the call came in"),
    impactHigherThanPriority: z.boolean(),
    loggedBy: z.string(),
    occurredAt: at,
  }),
});

/** The public facts of a disruption notice, for the customer portal and the community to broadcast. */
const disruptionFacts = {
  noticeId: z.uuid(),
  number: z.string().describe('Human number of the notice, e.g. DN-2026-0001'),
  productId: z.string(),
  title: z.string(),
  status: z.enum(['DRAFT', 'PUBLISHED', 'RESOLVED', 'CLOSED']),
  startedAt: at.nullable(),
  userExperience: z.string().nullable().describe('How users experience the disruption'),
  affectedCustomerIds: z.array(z.string()),
  nextUpdateDueAt: at.nullable().describe('When the next update comes'),
  occurredAt: at,
  version: z.number().int().describe("Notice version after this event; orders one notice's events"),
};

export const DisruptionPublished = defineEvent({
  type: 'servicecenter.disruption.published.v1',
  topic: Topics.escalations,
  description:
    'A team manager published the first notice of a disruption: product, start time, how users experience it and when the next update comes (within 2 hours).',
  schema: z.object({
    ...disruptionFacts,
    source: z.enum(['CUSTOMER_REPORT', 'MONITORING', 'PRODUCT_DEVELOPMENT']),
    publishedBy: z.string(),
    communityPostUrl: z
      .string()
      .nullish()
      .describe('The community post the broadcast links to (raci.csv row 123); absent in events before it existed'),
  }),
});

export const DisruptionAnalysisInstructed = defineEvent({
  type: 'servicecenter.disruption.analysis-instructed.v1',
  topic: Topics.escalations,
  description:
    'The team lead (or the manager Service Center) instructed product development to analyse a disruption (raci.csv row 121).',
  schema: z.object({ ...disruptionFacts, instruction: z.string(), instructedBy: z.string() }),
});

export const DisruptionAnalysisStarted = defineEvent({
  type: 'servicecenter.disruption.analysis-started.v1',
  topic: Topics.escalations,
  description: 'Product development started the analysis of a disruption (raci.csv row 122).',
  schema: z.object({ ...disruptionFacts, note: z.string(), startedBy: z.string() }),
});

export const DisruptionUpdated = defineEvent({
  type: 'servicecenter.disruption.updated.v1',
  topic: Topics.escalations,
  description:
    'A team manager posted an update on a published disruption notice and set when the next update comes (at least once a day).',
  schema: z.object({ ...disruptionFacts, message: z.string(), by: z.string() }),
});

export const DisruptionUpdateOverdue = defineEvent({
  type: 'servicecenter.disruption.update-overdue.v1',
  topic: Topics.escalations,
  description:
    'The update promised on a published disruption notice did not come in time; the notice is flagged overdue.',
  schema: z.object({ ...disruptionFacts, dueAt: at }),
});

export const DisruptionClosed = defineEvent({
  type: 'servicecenter.disruption.closed.v1',
  topic: Topics.escalations,
  description: 'A resolved disruption notice closed by itself 4 hours after resolution.',
  schema: z.object({ ...disruptionFacts, resolvedAt: at }),
});

export const CustomerCommunicated = defineEvent({
  type: 'servicecenter.escalation.customer-communicated.v1',
  topic: Topics.escalations,
  description:
    "The service manager (or the manager Service Center) wrote to a customer on feedback about a request, an urgent call or an escalation (raci.csv rows 96, 99, 104, 109); the customer's users read the message.",
  schema: z.object({
    communicationId: z.uuid(),
    customerId: z.string(),
    context: z.enum(['FEEDBACK', 'URGENT_CALL', 'ESCALATION']),
    requestId: z.uuid().nullable(),
    escalationId: z.uuid().nullable(),
    message: z.string().describe('The text the customer reads'),
    by: z.string(),
    occurredAt: at,
  }),
});

const quarter = z.string().describe('The review quarter, e.g. 2026-Q4');

export const ReviewAlignmentRecorded = defineEvent({
  type: 'servicecenter.review.alignment-recorded.v1',
  topic: Topics.escalations,
  description:
    "A service manager recorded the alignment on a customer's Service Management Review with the customer success manager (raci.csv row 111) or the product owner (row 115).",
  schema: z.object({
    alignmentId: z.uuid(),
    customerId: z.string(),
    quarter,
    party: z.enum(['CUSTOMER_SUCCESS_MANAGER', 'PRODUCT_OWNER']),
    note: z.string(),
    by: z.string(),
    occurredAt: at,
  }),
});

const actionPointFacts = {
  actionPointId: z.uuid(),
  customerId: z.string(),
  quarter,
  description: z.string(),
  owner: z.string().describe('Who follows it up (a name)'),
  dueAt: at,
  status: z.enum(['OPEN', 'DONE']),
  by: z.string(),
  occurredAt: at,
  version: z.number().int().describe("Action point version after this event; orders one action point's events"),
};

export const ReviewActionPointAdded = defineEvent({
  type: 'servicecenter.review.action-point-added.v1',
  topic: Topics.escalations,
  description:
    'An action point of the customer meeting on the Service Management Review was recorded and communicated to the customer (raci.csv row 117).',
  schema: z.object(actionPointFacts),
});

export const ReviewActionPointFollowedUp = defineEvent({
  type: 'servicecenter.review.action-point-followed-up.v1',
  topic: Topics.escalations,
  description:
    'An action point of a review was followed up (a note, and its status after it); the customer is informed (row 117).',
  schema: z.object({ ...actionPointFacts, note: z.string() }),
});

export const ReviewConversationRecorded = defineEvent({
  type: 'servicecenter.review.conversation-recorded.v1',
  topic: Topics.escalations,
  description:
    "The conversation with the customer about its Service Management Review was recorded in the customer's communication log (raci.csv row 118).",
  schema: z.object({
    communicationId: z.uuid(),
    customerId: z.string(),
    quarter,
    summary: z.string(),
    by: z.string(),
    occurredAt: at,
  }),
});

export const NotificationCreated = defineEvent({
  type: 'servicecenter.notification.created.v1',
  topic: Topics.escalations,
  description:
    'A role Informed in the RACI table of an escalation or disruption step was notified: addressed to a person, an internal role, or (role customer) the users of one customer organisation. One event per notification.',
  schema: z.object({
    notificationId: z.uuid(),
    recipientPersonId: z.string().nullable().describe('Addressed to one person (e.g. the service manager who asked)'),
    recipientRole: z
      .string()
      .nullable()
      .describe('Addressed to everyone with this role; `customer` together with recipientCustomerId'),
    recipientCustomerId: z
      .string()
      .nullable()
      .describe('Role customer: the customer organisation whose users are informed'),
    kind: z.string().describe('What happened, e.g. ESCALATION_OPENED, DISRUPTION_RESOLVED'),
    title: z.string(),
    message: z.string(),
    link: z.string().describe('What it is about: `escalation:<id>`, `disruption:<id>` or `request:<id>`'),
    createdAt: at,
  }),
});

export const ESCALATION_EVENTS = [
  EscalationOpened,
  EscalationStepRecorded,
  EscalationClosed,
  PriorityChangeAsked,
  PriorityChangeApproved,
  PriorityChangeRejected,
  StatusUpdateAsked,
  StatusUpdateAnswered,
  UrgentCallLogged,
  CustomerCommunicated,
  ReviewAlignmentRecorded,
  ReviewActionPointAdded,
  ReviewActionPointFollowedUp,
  ReviewConversationRecorded,
  DisruptionPublished,
  DisruptionAnalysisInstructed,
  DisruptionAnalysisStarted,
  DisruptionUpdated,
  DisruptionUpdateOverdue,
  DisruptionClosed,
  NotificationCreated,
] as const;
