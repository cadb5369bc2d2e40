import { z } from 'zod';
import { defineEvent } from './event-contract';
import { Topics } from './topics';

export const RequestTypeSchema = z.enum(['INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE']);
export const PrioritySchema = z.enum(['HIGH', 'MEDIUM', 'LOW']);
export const RequestStatusSchema = z.enum([
  'REGISTERED',
  'WAITING_FOR_CUSTOMER',
  'ACCEPTED',
  'IN_HANDLING',
  'HANDED_OVER',
  'SOLUTION_PROPOSED',
  'CLOSED',
  'REOPENED',
]);
export const CompletionReasonSchema = z.enum([
  'SOLVED',
  'WORKAROUND',
  'NO_REPLY',
  'DUPLICATE',
  'DECLINED',
  'WITHDRAWN',
]);
const at = z.iso.datetime({ offset: true });

/**
 * The facts every request event carries, so a consumer (SLA clocks, escalations, reporting)
 * can keep its own view from the events alone, in any order of arrival per request
 * (`version` orders them: it grows by one with every change).
 */
export const RequestFactsSchema = z.object({
  requestId: z.uuid(),
  number: z.string().describe('Human number, e.g. SC-2026-000123'),
  type: RequestTypeSchema,
  customerId: z.string(),
  productId: z.string().nullable(),
  productGroupId: z.string().nullable(),
  teamId: z.string().nullable().describe('The Service Center team handling the product'),
  assigneeId: z.string().nullable(),
  requestedPriority: PrioritySchema.describe("The customer's requested priority"),
  priority: PrioritySchema.nullable().describe("The Service Center's priority; null until prioritised"),
  status: RequestStatusSchema.describe('Status after this event'),
  previousStatus: RequestStatusSchema.nullable(),
  occurredAt: at,
  version: z.number().int().describe('Request version after this event'),
});
export type RequestFacts = z.infer<typeof RequestFactsSchema>;

const requestEvent = <S extends z.ZodRawShape>(name: string, description: string, extra: S) =>
  defineEvent({
    type: `servicecenter.request.${name}.v1`,
    topic: Topics.requests,
    description,
    schema: RequestFactsSchema.extend(extra),
  });

export const RequestRegistered = requestEvent(
  'registered',
  'A customer (or the desk on their behalf) registered a new request.',
  {
    title: z.string(),
    requesterId: z.string(),
    registeredAt: at,
    followUpOf: z.uuid().nullable().describe('The closed request this new question continues'),
  },
);

export const RequestReturnedToCustomer = requestEvent(
  'returned-to-customer',
  'The request waits for the customer: incomplete at registration (automated check) or the desk asked for information. SLA clocks pause.',
  {
    reason: z.enum(['INCOMPLETE_REGISTRATION', 'INFORMATION_REQUESTED']),
    missing: z.array(z.string()).describe('What the customer must still supply'),
  },
);

export const RequestResumed = requestEvent(
  'resumed',
  'The customer answered (or the desk completed the request after a call); handling continues. SLA clocks resume.',
  {
    waitedMs: z.number().int().describe('How long this wait lasted'),
  },
);

export const RequestAssigned = requestEvent('assigned', 'The request was assigned to a team and/or a consultant.', {
  previousTeamId: z.string().nullable(),
  previousAssigneeId: z.string().nullable(),
});

export const RequestPrioritised = requestEvent(
  'prioritised',
  'The Service Center set or changed the priority (with a justification when it differs from the requested one).',
  {
    previousPriority: PrioritySchema.nullable(),
    justification: z.string().nullable(),
    category: z.string().nullable(),
  },
);

export const RequestReplied = requestEvent(
  'replied',
  'A reply or note was added to the conversation. A public desk reply or in-handling notice can be the first response.',
  {
    replyId: z.uuid(),
    authorId: z.string(),
    side: z.enum(['CUSTOMER', 'SERVICE_CENTER', 'SYSTEM']),
    visibility: z.enum(['PUBLIC', 'INTERNAL']),
    kind: z
      .string()
      .describe('MESSAGE, IN_HANDLING_NOTICE, INFORMATION_REQUEST, REMINDER, SOLUTION, CLOSING_TEXT, ...'),
    firstResponse: z.boolean().describe('True on the first public communication from the desk'),
  },
);

export const RequestAccepted = requestEvent('accepted', 'All quality criteria are met; the request is accepted.', {});
export const RequestHandlingStarted = requestEvent(
  'handling-started',
  'A consultant took the request into handling.',
  {},
);

export const RequestHandedOver = requestEvent(
  'handed-over',
  'The request was handed over to product development or to Consulting (details on servicecenter.handovers.v1).',
  {
    target: z.enum(['PRODUCT_DEVELOPMENT', 'CONSULTING']),
  },
);

export const RequestChangeLinked = requestEvent(
  'change-linked',
  'A product-development change was linked to the request.',
  {
    changeRef: z.string(),
    customerCount: z.number().int().describe('Distinct customers now waiting for this change'),
  },
);

export const RequestSolutionProposed = requestEvent(
  'solution-proposed',
  "A solution, workaround, answer or executed mutation went to the customer; waiting for the customer's reaction.",
  {
    solutionKind: z.enum(['SOLUTION', 'WORKAROUND']),
    articleId: z.string().nullable(),
    mutationExecutedBy: z.enum(['HAND', 'ROBOT']).nullable(),
  },
);

export const RequestSolutionRejected = requestEvent(
  'solution-rejected',
  'The customer did not accept the proposed solution; handling continues.',
  {
    comment: z.string().nullable(),
  },
);

export const RequestReminderSent = requestEvent(
  'reminder-sent',
  'The customer was reminded of a request waiting for them.',
  {
    reminder: z.number().int(),
    of: z.number().int(),
  },
);

export const RequestClosed = requestEvent(
  'closed',
  'The request was closed with a completion reason and a standard text.',
  {
    completionReason: CompletionReasonSchema,
    automatic: z.boolean().describe('Closed by the system (customer accepted, or no reply after reminders)'),
    closedAt: at,
    registeredAt: at,
    continuedAs: z.uuid().nullable().describe('The new request that continues a different question'),
  },
);

export const RequestReopened = requestEvent(
  'reopened',
  'A closed request came back with the same question and was reopened.',
  {},
);

export const RequestUpdated = requestEvent(
  'updated',
  'Request details changed (title, description, business impact, evidence, product).',
  {
    fields: z.array(z.string()),
  },
);

export const RequestTimeBooked = requestEvent(
  'time-booked',
  "Hours of work were booked on the request; they consume the customer's base bundle, then its credit bundle.",
  {
    bookingId: z.uuid(),
    hours: z.number().positive().describe('Hours booked, in steps of a quarter hour'),
    workDate: z.iso.date().describe('The day the work was done (the bundle year is the calendar year of this date)'),
    bookedBy: z.string().describe('The person who did the work'),
    description: z.string().nullable(),
  },
);

export const RequestSurveyAnswered = requestEvent(
  'survey-answered',
  'The customer answered the satisfaction survey of a closed request (once per request).',
  {
    score: z.number().int().min(0).max(10).describe('0–10: how likely the customer is to recommend the Service Center'),
    comment: z.string().nullable(),
    category: z
      .enum(['PROMOTER', 'PASSIVE', 'DETRACTOR'])
      .describe('tNPS category: 9–10 promoter, 7–8 passive, 0–6 detractor'),
    answeredBy: z.string(),
    answeredAt: at,
  },
);

export const RequestProductDevelopmentAsked = requestEvent(
  'product-development-asked',
  'The desk asked product development a question on an information request (raci.csv row 71: consultant R, team lead A, PD change coordinator C). The PD change coordinator may now read the request and answer in it.',
  {
    questionId: z.uuid().describe('The internal reply holding the question; the answer names it'),
    question: z.string(),
    askedBy: z.string(),
  },
);

export const RequestProductDevelopmentAnswered = requestEvent(
  'product-development-answered',
  "The PD change coordinator answered the desk's question in the request (raci.csv row 71); the answer is an internal reply the desk reads.",
  {
    questionId: z.uuid(),
    answerId: z.uuid().describe('The internal reply holding the answer'),
    answeredBy: z.string(),
    askedBy: z.string().describe('Who asked: informed of the answer'),
  },
);

export const REQUEST_EVENTS = [
  RequestRegistered,
  RequestReturnedToCustomer,
  RequestResumed,
  RequestAssigned,
  RequestPrioritised,
  RequestReplied,
  RequestAccepted,
  RequestHandlingStarted,
  RequestHandedOver,
  RequestChangeLinked,
  RequestSolutionProposed,
  RequestSolutionRejected,
  RequestReminderSent,
  RequestClosed,
  RequestReopened,
  RequestUpdated,
  RequestTimeBooked,
  RequestSurveyAnswered,
  RequestProductDevelopmentAsked,
  RequestProductDevelopmentAnswered,
] as const;
