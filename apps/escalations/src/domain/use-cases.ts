import { z } from 'zod';
import { customerScope, hasRole, scopeCoversCustomer, type Caller } from '@servicecenter/platform-auth';
import {
  CustomerCommunicated,
  ReviewActionPointAdded,
  ReviewActionPointFollowedUp,
  ReviewAlignmentRecorded,
  ReviewConversationRecorded,
  EscalationClosed,
  EscalationOpened,
  EscalationStepRecorded,
  PriorityChangeApproved,
  PriorityChangeAsked,
  PriorityChangeRejected,
  StatusUpdateAnswered,
  StatusUpdateAsked,
  UrgentCallLogged,
} from '@servicecenter/contracts';
import { event } from '@servicecenter/platform-events';
import { badInput, conflict, forbidden, invalidTransition, notFound, validate } from '@servicecenter/platform-errors';
import { answer, decide, priorityJustification, type Ask } from './ask';
import { RIGHTS, STEP_ROWS } from './authorisation';
import { COMMUNICATION_CONTEXTS, COMMUNICATION_ROWS, type CustomerCommunication } from './customer-communication';
import {
  ESCALATION_STEPS,
  NO_REQUEST_MESSAGE,
  closeEscalation,
  escalationNumber,
  newEscalation,
  recordStep,
  type Escalation,
  type RequestView,
} from './escalation';
import { notify } from './notify';
import type { EscalationsDeps, EscalationsTransaction } from './ports';
import { newUrgentCall, type UrgentCall } from './urgent-call';
import {
  ACTION_POINT_STATUSES,
  ALIGNMENT_PARTIES,
  ALIGNMENT_ROWS,
  QUARTER,
  followUp,
  newActionPoint,
  type ReviewActionPoint,
  type ReviewAlignment,
} from './review';
import type {
  AddReviewActionPointInput,
  CommunicateWithCustomerInput,
  FollowUpReviewActionPointInput,
  RecordReviewAlignmentInput,
  RecordReviewConversationInput,
  AnswerStatusUpdateInput,
  AskPriorityChangeInput,
  AskStatusUpdateInput,
  CloseEscalationInput,
  DecidePriorityChangeInput,
  LogUrgentCallInput,
  OpenEscalationInput,
  RecordEscalationStepInput,
} from '../generated/graphql';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const uuid = z.uuid('must be an id this graph gave out');
const PriorityInput = z.enum(['HIGH', 'MEDIUM', 'LOW']);

const OpenInput = z
  .object({
    requestIds: z.array(uuid).max(50).nullish(),
    requestNumbers: z.array(text(40)).max(50).nullish(),
    reason: text(4000),
    businessImpact: text(4000),
    desiredOutcome: text(4000),
  })
  .refine((i) => !!i.requestIds?.length !== !!i.requestNumbers?.length, {
    message: 'Give the escalated requests by requestIds or by requestNumbers (one of them, not empty)',
    path: ['requestIds'],
  });
const StepInput = z.object({
  escalationId: uuid,
  step: z.enum(ESCALATION_STEPS),
  note: text(4000),
  version: z.number().int().nullish(),
});
const CloseInput = z.object({ escalationId: uuid, outcome: text(4000) });
const AskPriorityInput = z.object({
  requestId: uuid,
  priority: PriorityInput,
  reason: text(4000),
  escalationId: uuid.nullish(),
});
const AskStatusInput = z.object({ requestId: uuid, question: text(4000), escalationId: uuid.nullish() });
const DecideInput = z.object({ askId: uuid, approve: z.boolean(), reason: text(4000) });
const AnswerInput = z.object({ askId: uuid, answer: text(8000) });
const CallInput = z.object({
  requestId: uuid,
  customerContact: text(400),
  summary: text(4000),
  assessedImpact: PriorityInput,
  escalationId: uuid.nullish(),
});

const CommunicateInput = z
  .object({
    context: z.enum(COMMUNICATION_CONTEXTS),
    requestId: uuid.nullish(),
    escalationId: uuid.nullish(),
    message: text(8000),
  })
  .refine((i) => (i.context === 'ESCALATION' ? !!i.escalationId : !!i.requestId), {
    message: 'FEEDBACK and URGENT_CALL are about a request (requestId); ESCALATION about an escalation (escalationId)',
    path: ['requestId'],
  });

const quarter = z.string().regex(QUARTER, 'A quarter looks like 2026-Q4');
const customerId = text(100);
const AlignmentInput = z.object({ customerId, quarter, party: z.enum(ALIGNMENT_PARTIES), note: text(8000) });
const ActionPointInput = z.object({
  customerId,
  quarter,
  description: text(4000),
  owner: text(200),
  dueAt: z.coerce.date(),
});
const FollowUpInput = z.object({
  actionPointId: uuid,
  note: text(4000),
  status: z.enum(ACTION_POINT_STATUSES),
  version: z.number().int().nullish(),
});
const ConversationInput = z.object({ customerId, quarter, summary: text(8000) });

const meta = (caller: Caller, correlationId: string) => ({ actor: caller.id, correlationId });
const facts = (e: Escalation, at: Date) => ({
  escalationId: e.id,
  number: e.number,
  customerId: e.customerId,
  requestIds: e.requestIds,
  status: e.status,
  occurredAt: at.toISOString(),
  version: e.version,
});

/**
 * The graph's visibility rule on writes (docs/visibility.md): of these customers, the ones the
 * caller may see. A request or escalation of any other customer does not exist for them.
 */
async function visibleCustomers(
  tx: EscalationsTransaction,
  caller: Caller,
  customerIds: readonly string[],
): Promise<Set<string>> {
  const scope = customerScope(caller);
  if (scope.all) return new Set(customerIds);
  const relations = new Map((await tx.relations.relationsOf([...new Set(customerIds)])).map((r) => [r.customerId, r]));
  return new Set(customerIds.filter((id) => scopeCoversCustomer(scope, id, relations.get(id) ?? null)));
}

/** The requests the caller may see, in the read model, in the order given; otherwise "no request, no escalation". */
async function knownRequests(
  tx: EscalationsTransaction,
  caller: Caller,
  ids: string[] | null | undefined,
  numbers: string[] | null | undefined,
): Promise<RequestView[]> {
  const byId = !!ids?.length;
  const keys = [...new Set((byId ? ids : numbers) ?? [])];
  const all = byId ? await tx.requests.findByIds(keys) : await tx.requests.findByNumbers(keys);
  const visible = await visibleCustomers(
    tx,
    caller,
    all.map((r) => r.customerId),
  );
  const found = all.filter((r) => visible.has(r.customerId));
  const index = new Map(found.map((r) => [byId ? r.requestId : r.number, r]));
  const missing = keys.filter((k) => !index.has(k));
  if (missing.length)
    throw badInput(
      byId ? 'input.requestIds' : 'input.requestNumbers',
      `${NO_REQUEST_MESSAGE} (unknown: ${missing.join(', ')})`,
      { unknown: missing },
    );
  return keys.map((k) => index.get(k) as RequestView);
}

/** A customer of the directory (as its customer.saved events told this service) that the caller may see. */
async function knownCustomer(tx: EscalationsTransaction, caller: Caller, customerId: string): Promise<string> {
  const known = (await tx.relations.relationsOf([customerId])).length === 1;
  if (!known || !(await visibleCustomers(tx, caller, [customerId])).has(customerId))
    throw badInput('input.customerId', `No customer ${customerId} among yours`, { unknown: [customerId] });
  return customerId;
}

const actionPointFacts = (p: ReviewActionPoint, by: string, at: Date) => ({
  actionPointId: p.id,
  customerId: p.customerId,
  quarter: p.quarter,
  description: p.description,
  owner: p.owner,
  dueAt: p.dueAt.toISOString(),
  status: p.status,
  by,
  occurredAt: at.toISOString(),
  version: p.version,
});

async function knownRequest(tx: EscalationsTransaction, caller: Caller, requestId: string): Promise<RequestView> {
  const [found] = await tx.requests.findByIds([requestId]);
  const request =
    found && (await visibleCustomers(tx, caller, [found.customerId])).has(found.customerId) ? found : null;
  if (!request)
    throw badInput('input.requestId', `${NO_REQUEST_MESSAGE} (unknown: ${requestId})`, { unknown: [requestId] });
  return request;
}

/** An escalation the ask or call belongs to: open, and about the request. */
async function escalationOf(
  tx: EscalationsTransaction,
  caller: Caller,
  escalationId: string | null | undefined,
  requestId: string,
): Promise<Escalation | null> {
  if (!escalationId) return null;
  const escalation = await tx.escalations.findById(escalationId);
  if (!escalation || !(await visibleCustomers(tx, caller, [escalation.customerId])).has(escalation.customerId))
    throw badInput('input.escalationId', `Escalation ${escalationId} was not found`);
  if (!escalation.requestIds.includes(requestId))
    throw badInput('input.escalationId', `Escalation ${escalation.number} is not about this request`);
  if (escalation.status !== 'OPEN') throw badInput('input.escalationId', `Escalation ${escalation.number} is closed`);
  return escalation;
}

async function lockedEscalation(tx: EscalationsTransaction, caller: Caller, id: string): Promise<Escalation> {
  const escalation = await tx.escalations.findById(id, true);
  if (!escalation || !(await visibleCustomers(tx, caller, [escalation.customerId])).has(escalation.customerId))
    throw notFound('Escalation', id);
  return escalation;
}

export function escalationUseCases(deps: EscalationsDeps) {
  return {
    async openEscalation(caller: Caller, input: OpenEscalationInput, correlationId: string): Promise<Escalation> {
      RIGHTS.mustAct(caller, 'openEscalation');
      const i = validate(OpenInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const requests = await knownRequests(tx, caller, i.requestIds, i.requestNumbers);
        const now = deps.now();
        const year = now.getUTCFullYear();
        const escalation = newEscalation({
          id: deps.newId(),
          number: escalationNumber(year, await tx.escalations.nextSequence(year)),
          requests,
          reason: i.reason,
          businessImpact: i.businessImpact,
          desiredOutcome: i.desiredOutcome,
          openedBy: caller.id,
          now,
        });
        await tx.escalations.insert(escalation);
        tx.publish(
          event(EscalationOpened, escalation.id, {
            ...facts(escalation, now),
            reason: escalation.reason,
            businessImpact: escalation.businessImpact,
            desiredOutcome: escalation.desiredOutcome,
            openedBy: caller.id,
          }),
        );
        await notify(
          tx,
          deps,
          'ESCALATION_OPENED',
          {
            link: `escalation:${escalation.id}`,
            subjectCustomerId: escalation.customerId,
            internal: {
              title: `Escalation ${escalation.number} opened for ${escalation.customerId}`,
              message: `Requests ${requests.map((r) => r.number).join(', ')}. Reason: ${escalation.reason} Business impact: ${escalation.businessImpact}`,
            },
          },
          now,
        );
        return escalation;
      });
    },

    async recordEscalationStep(
      caller: Caller,
      input: RecordEscalationStepInput,
      correlationId: string,
    ): Promise<Escalation> {
      RIGHTS.mustAct(caller, 'recordEscalationStep');
      const i = validate(StepInput, input);
      RIGHTS.mustAct(caller, 'recordEscalationStep', [STEP_ROWS[i.step]]);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await lockedEscalation(tx, caller, i.escalationId);
        if (i.version !== undefined && i.version !== null && i.version !== before.version) {
          throw conflict(
            `Escalation ${before.number} changed meanwhile (version ${before.version}, you saw ${i.version}); reload and try again`,
            { currentVersion: before.version },
          );
        }
        const now = deps.now();
        const after = recordStep(before, i.step, caller.id, i.note, now);
        await tx.escalations.update(before, after);
        tx.publish(
          event(EscalationStepRecorded, after.id, { ...facts(after, now), step: i.step, by: caller.id, note: i.note }),
        );
        const link = `escalation:${after.id}`;
        if (i.step === 'ALIGNED_WITH_TEAM_LEAD') {
          await notify(
            tx,
            deps,
            'ESCALATION_ALIGNED_WITH_TEAM_LEAD',
            {
              link,
              subjectCustomerId: after.customerId,
              internal: { title: `Escalation ${after.number} aligned with the team lead`, message: i.note },
            },
            now,
          );
        } else if (i.step === 'CUSTOMER_INFORMED') {
          await notify(
            tx,
            deps,
            'ESCALATION_CUSTOMER_INFORMED',
            {
              link,
              subjectCustomerId: after.customerId,
              customerIds: [after.customerId],
              internal: { title: `Customer informed on escalation ${after.number}`, message: i.note },
              customer: {
                title: `Update on your escalation ${after.number}`,
                message: 'The Service Center informed you on your escalation and what to expect next.',
              },
            },
            now,
          );
        }
        return after;
      });
    },

    async closeEscalation(caller: Caller, input: CloseEscalationInput, correlationId: string): Promise<Escalation> {
      RIGHTS.mustAct(caller, 'closeEscalation');
      const i = validate(CloseInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await lockedEscalation(tx, caller, i.escalationId);
        const now = deps.now();
        const after = closeEscalation(before, i.outcome, caller.id, now);
        await tx.escalations.update(before, after);
        tx.publish(
          event(EscalationClosed, after.id, { ...facts(after, now), outcome: i.outcome, closedBy: caller.id }),
        );
        return after;
      });
    },

    async askPriorityChange(caller: Caller, input: AskPriorityChangeInput, correlationId: string): Promise<Ask> {
      RIGHTS.mustAct(caller, 'askPriorityChange');
      const i = validate(AskPriorityInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const request = await knownRequest(tx, caller, i.requestId);
        const escalation = await escalationOf(tx, caller, i.escalationId, request.requestId);
        if (request.priority === i.priority)
          throw badInput('input.priority', `Request ${request.number} already has priority ${i.priority}`);
        const now = deps.now();
        const ask = newAsk(deps.newId(), 'PRIORITY_CHANGE', request, escalation, caller.id, now, {
          priority: i.priority,
          reason: i.reason,
        });
        await tx.asks.insert(ask);
        tx.publish(
          event(PriorityChangeAsked, ask.id, {
            ...askFacts(ask, request),
            priority: i.priority,
            currentPriority: request.priority,
            reason: i.reason,
          }),
        );
        await informOfUrgentCallAsk(tx, deps, ask, `priority ${i.priority}: ${i.reason}`);
        return ask;
      });
    },

    async askStatusUpdate(caller: Caller, input: AskStatusUpdateInput, correlationId: string): Promise<Ask> {
      RIGHTS.mustAct(caller, 'askStatusUpdate');
      const i = validate(AskStatusInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const request = await knownRequest(tx, caller, i.requestId);
        const escalation = await escalationOf(tx, caller, i.escalationId, request.requestId);
        const ask = newAsk(deps.newId(), 'STATUS_UPDATE', request, escalation, caller.id, deps.now(), {
          question: i.question,
        });
        await tx.asks.insert(ask);
        tx.publish(event(StatusUpdateAsked, ask.id, { ...askFacts(ask, request), question: i.question }));
        await informOfUrgentCallAsk(tx, deps, ask, `a status update: ${i.question}`);
        return ask;
      });
    },

    async decidePriorityChange(caller: Caller, input: DecidePriorityChangeInput, correlationId: string): Promise<Ask> {
      RIGHTS.mustAct(caller, 'decidePriorityChange');
      const i = validate(DecideInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await lockedAsk(tx, i.askId);
        const [request] = await tx.requests.findByIds([before.requestId]);
        await mustLeadTheProductsTeam(tx, caller, request);
        const now = deps.now();
        const after = decide(before, i.approve, i.reason, caller.id, now);
        await tx.asks.update(after);
        const base = askFacts(after, request, now);
        if (i.approve) {
          const escalation = after.escalationId ? await tx.escalations.findById(after.escalationId) : null;
          tx.publish(
            event(PriorityChangeApproved, after.id, {
              askId: after.id,
              requestId: after.requestId,
              escalationId: after.escalationId,
              priority: after.priority as NonNullable<Ask['priority']>,
              justification: priorityJustification(after.reason ?? i.reason, escalation?.number ?? null),
              askedBy: after.askedBy,
              decidedBy: caller.id,
              decidedAt: now.toISOString(),
            }),
          );
        } else {
          tx.publish(
            event(PriorityChangeRejected, after.id, {
              ...base,
              priority: after.priority as NonNullable<Ask['priority']>,
              reason: i.reason,
              decidedBy: caller.id,
            }),
          );
        }
        await notify(
          tx,
          deps,
          i.approve ? 'PRIORITY_CHANGE_APPROVED' : 'PRIORITY_CHANGE_REJECTED',
          {
            link: `request:${after.requestId}`,
            subjectCustomerId: base.customerId,
            customerIds: [base.customerId],
            askerId: after.askedBy,
            internal: {
              title: `Priority ${after.priority} for request ${after.requestNumber} ${i.approve ? 'approved' : 'rejected'}`,
              message: i.reason,
            },
            customer: i.approve
              ? {
                  title: `Request ${after.requestNumber}: priority ${after.priority}`,
                  message: `Your request ${after.requestNumber} gets priority ${after.priority}.`,
                }
              : {
                  title: `Request ${after.requestNumber}: priority reviewed`,
                  message: `The priority of your request ${after.requestNumber} was reviewed and stays as it is.`,
                },
          },
          now,
        );
        return after;
      });
    },

    async answerStatusUpdate(caller: Caller, input: AnswerStatusUpdateInput, correlationId: string): Promise<Ask> {
      RIGHTS.mustAct(caller, 'answerStatusUpdate');
      const i = validate(AnswerInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await lockedAsk(tx, i.askId);
        const [request] = await tx.requests.findByIds([before.requestId]);
        await mustLeadTheProductsTeam(tx, caller, request);
        const now = deps.now();
        const after = answer(before, i.answer, caller.id, now);
        await tx.asks.update(after);
        const base = askFacts(after, request, now);
        tx.publish(
          event(StatusUpdateAnswered, after.id, {
            ...base,
            question: after.question ?? '',
            answer: i.answer,
            answeredBy: caller.id,
          }),
        );
        await notify(
          tx,
          deps,
          'STATUS_UPDATE_ANSWERED',
          {
            link: `request:${after.requestId}`,
            subjectCustomerId: base.customerId,
            customerIds: [base.customerId],
            askerId: after.askedBy,
            internal: { title: `Status update on request ${after.requestNumber}`, message: i.answer },
            customer: {
              title: `Update on request ${after.requestNumber}`,
              message: `The Service Center has an update on your request ${after.requestNumber}.`,
            },
          },
          now,
        );
        return after;
      });
    },

    /**
     * Rows 96, 99 (feedback), 104 (urgent call), 109 (escalation): the service manager writes to the
     * customer. Recorded on the request or escalation, read by the customer's users, and notified to them
     * with the text itself.
     */
    async communicateWithCustomer(
      caller: Caller,
      input: CommunicateWithCustomerInput,
      correlationId: string,
    ): Promise<CustomerCommunication> {
      RIGHTS.mustAct(caller, 'communicateWithCustomer');
      const i = validate(CommunicateInput, input);
      RIGHTS.mustAct(caller, 'communicateWithCustomer', COMMUNICATION_ROWS[i.context]);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        let request: RequestView | null = null;
        let escalation: Escalation | null = null;
        if (i.context === 'ESCALATION') {
          escalation = await lockedEscalation(tx, caller, i.escalationId as string);
          if (escalation.status !== 'OPEN')
            throw badInput('input.escalationId', `Escalation ${escalation.number} is closed`);
          if (i.requestId) {
            request = await knownRequest(tx, caller, i.requestId);
            if (!escalation.requestIds.includes(request.requestId))
              throw badInput(
                'input.requestId',
                `Request ${request.number} is not part of escalation ${escalation.number}`,
              );
          }
        } else {
          request = await knownRequest(tx, caller, i.requestId as string);
          escalation = await escalationOf(tx, caller, i.escalationId, request.requestId);
          if (i.context === 'URGENT_CALL' && !(await tx.calls.anyOnRequest(request.requestId)))
            throw badInput(
              'input.requestId',
              `No urgent call was logged on request ${request.number}: log the call first (logUrgentCall)`,
            );
        }
        const now = deps.now();
        const communication: CustomerCommunication = {
          id: deps.newId(),
          customerId: (escalation?.customerId ?? request?.customerId) as string,
          context: i.context,
          requestId: request?.requestId ?? null,
          requestNumber: request?.number ?? null,
          escalationId: escalation?.id ?? null,
          escalationNumber: escalation?.number ?? null,
          quarter: null,
          message: i.message,
          by: caller.id,
          at: now,
        };
        await tx.communications.insert(communication);
        tx.publish(
          event(CustomerCommunicated, communication.id, {
            communicationId: communication.id,
            customerId: communication.customerId,
            context: i.context,
            requestId: communication.requestId,
            escalationId: communication.escalationId,
            message: communication.message,
            by: caller.id,
            occurredAt: now.toISOString(),
          }),
        );
        const about = escalation ? `escalation ${escalation.number}` : `request ${request?.number}`;
        await notify(
          tx,
          deps,
          `CUSTOMER_COMMUNICATION_${i.context}`,
          {
            link: escalation ? `escalation:${escalation.id}` : `request:${request?.requestId}`,
            subjectCustomerId: communication.customerId,
            customerIds: [communication.customerId],
            internal: { title: `Message to ${communication.customerId} on ${about}`, message: i.message },
            customer: { title: `A message from your service manager on ${about}`, message: i.message },
          },
          now,
        );
        return communication;
      });
    },

    /** Rows 111 and 115: the service manager's alignment on a customer's review, recorded. */
    async recordReviewAlignment(
      caller: Caller,
      input: RecordReviewAlignmentInput,
      correlationId: string,
    ): Promise<ReviewAlignment> {
      RIGHTS.mustAct(caller, 'recordReviewAlignment');
      const i = validate(AlignmentInput, input);
      RIGHTS.mustAct(caller, 'recordReviewAlignment', [ALIGNMENT_ROWS[i.party]]);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const now = deps.now();
        const alignment: ReviewAlignment = {
          id: deps.newId(),
          customerId: await knownCustomer(tx, caller, i.customerId),
          quarter: i.quarter,
          party: i.party,
          note: i.note,
          by: caller.id,
          at: now,
        };
        await tx.review.insertAlignment(alignment);
        tx.publish(
          event(ReviewAlignmentRecorded, alignment.id, {
            alignmentId: alignment.id,
            customerId: alignment.customerId,
            quarter: alignment.quarter,
            party: alignment.party,
            note: alignment.note,
            by: caller.id,
            occurredAt: now.toISOString(),
          }),
        );
        return alignment;
      });
    },

    /** Row 117: an action point of the customer meeting, communicated to the customer. */
    async addReviewActionPoint(
      caller: Caller,
      input: AddReviewActionPointInput,
      correlationId: string,
    ): Promise<ReviewActionPoint> {
      RIGHTS.mustAct(caller, 'addReviewActionPoint');
      const i = validate(ActionPointInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const now = deps.now();
        const point = newActionPoint({
          id: deps.newId(),
          customerId: await knownCustomer(tx, caller, i.customerId),
          quarter: i.quarter,
          description: i.description,
          owner: i.owner,
          dueAt: i.dueAt,
          by: caller.id,
          now,
        });
        await tx.review.insertActionPoint(point);
        tx.publish(event(ReviewActionPointAdded, point.id, actionPointFacts(point, caller.id, now)));
        const text = {
          title: `Action point of your Service Management Review ${point.quarter}`,
          message: `${point.description} (owner: ${point.owner}; due ${point.dueAt.toISOString()})`,
        };
        await notify(
          tx,
          deps,
          'REVIEW_ACTION_POINT',
          {
            link: `customer:${point.customerId}`,
            subjectCustomerId: point.customerId,
            customerIds: [point.customerId],
            internal: text,
            customer: text,
          },
          now,
        );
        return point;
      });
    },

    /** Row 117: the follow-up of an action point, communicated to the customer. */
    async followUpReviewActionPoint(
      caller: Caller,
      input: FollowUpReviewActionPointInput,
      correlationId: string,
    ): Promise<ReviewActionPoint> {
      RIGHTS.mustAct(caller, 'followUpReviewActionPoint');
      const i = validate(FollowUpInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await tx.review.findActionPoint(i.actionPointId, true);
        if (!before || !(await visibleCustomers(tx, caller, [before.customerId])).has(before.customerId))
          throw notFound('ReviewActionPoint', i.actionPointId);
        if (i.version !== undefined && i.version !== null && i.version !== before.version)
          throw conflict(`The action point changed meanwhile (version ${before.version}, you saw ${i.version})`, {
            currentVersion: before.version,
          });
        const now = deps.now();
        const after = followUp(before, { note: i.note, status: i.status, by: caller.id, now });
        await tx.review.updateActionPoint(before, after);
        tx.publish(
          event(ReviewActionPointFollowedUp, after.id, { ...actionPointFacts(after, caller.id, now), note: i.note }),
        );
        const text = {
          title: `Action point ${after.status === 'DONE' ? 'done' : 'followed up'}: ${after.description}`,
          message: i.note,
        };
        await notify(
          tx,
          deps,
          'REVIEW_ACTION_POINT',
          {
            link: `customer:${after.customerId}`,
            subjectCustomerId: after.customerId,
            customerIds: [after.customerId],
            internal: text,
            customer: text,
          },
          now,
        );
        return after;
      });
    },

    /** Row 118: the review conversation recorded in the customer's communication log; the CSM informed. */
    async recordReviewConversation(
      caller: Caller,
      input: RecordReviewConversationInput,
      correlationId: string,
    ): Promise<CustomerCommunication> {
      RIGHTS.mustAct(caller, 'recordReviewConversation');
      const i = validate(ConversationInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const now = deps.now();
        const record: CustomerCommunication = {
          id: deps.newId(),
          customerId: await knownCustomer(tx, caller, i.customerId),
          context: 'REVIEW',
          requestId: null,
          requestNumber: null,
          escalationId: null,
          escalationNumber: null,
          quarter: i.quarter,
          message: i.summary,
          by: caller.id,
          at: now,
        };
        await tx.communications.insert(record);
        tx.publish(
          event(ReviewConversationRecorded, record.id, {
            communicationId: record.id,
            customerId: record.customerId,
            quarter: i.quarter,
            summary: i.summary,
            by: caller.id,
            occurredAt: now.toISOString(),
          }),
        );
        await notify(
          tx,
          deps,
          'REVIEW_CONVERSATION_RECORDED',
          {
            link: `customer:${record.customerId}`,
            subjectCustomerId: record.customerId,
            internal: { title: `Review ${i.quarter} of ${record.customerId} discussed`, message: i.summary },
          },
          now,
        );
        return record;
      });
    },

    async logUrgentCall(caller: Caller, input: LogUrgentCallInput, correlationId: string): Promise<UrgentCall> {
      RIGHTS.mustAct(caller, 'logUrgentCall');
      const i = validate(CallInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const request = await knownRequest(tx, caller, i.requestId);
        const escalation = await escalationOf(tx, caller, i.escalationId, request.requestId);
        const call = newUrgentCall({
          id: deps.newId(),
          request,
          escalationId: escalation?.id ?? null,
          customerContact: i.customerContact,
          summary: i.summary,
          assessedImpact: i.assessedImpact,
          loggedBy: caller.id,
          now: deps.now(),
        });
        await tx.calls.insert(call);
        tx.publish(
          event(UrgentCallLogged, call.id, {
            callId: call.id,
            requestId: call.requestId,
            requestNumber: call.requestNumber,
            customerId: request.customerId,
            escalationId: call.escalationId,
            assessedImpact: call.assessedImpact,
            priorityAtCall: call.priorityAtCall,
            impactHigherThanPriority: call.impactHigherThanPriority,
            loggedBy: caller.id,
            occurredAt: call.loggedAt.toISOString(),
          }),
        );
        await notify(
          tx,
          deps,
          'URGENT_CALL_LOGGED',
          {
            link: `request:${call.requestId}`,
            subjectCustomerId: request.customerId,
            internal: {
              title: `Urgent call on request ${call.requestNumber}`,
              message: `${call.customerContact} (${request.customerId}) called: ${call.summary} Assessed impact ${call.assessedImpact}${call.impactHigherThanPriority ? `, higher than the request's priority ${call.priorityAtCall ?? 'none'}` : ''}.`,
            },
          },
          call.loggedAt,
        );
        return call;
      });
    },
  };
}

export type EscalationUseCases = ReturnType<typeof escalationUseCases>;

/**
 * raci.csv row 103: on a request with an urgent call, the service manager's ask is the alignment with the
 * team lead, and product development (change coordinator, product owner) and the labs director are
 * Informed. They see no customer as such: the notification concerns the request's product work, not the
 * customer (no subject customer), and names the request only.
 */
async function informOfUrgentCallAsk(
  tx: EscalationsTransaction,
  deps: EscalationsDeps,
  ask: Ask,
  what: string,
): Promise<void> {
  if (!(await tx.calls.anyOnRequest(ask.requestId))) return;
  await notify(
    tx,
    deps,
    'URGENT_CALL_ASK',
    {
      link: `request:${ask.requestId}`,
      subjectCustomerId: null,
      internal: {
        title: `Urgent call on request ${ask.requestNumber}: the service manager asks the team lead`,
        message: `Asked for ${what}`,
      },
    },
    ask.askedAt,
  );
}

function newAsk(
  id: string,
  kind: Ask['kind'],
  request: RequestView,
  escalation: Escalation | null,
  askedBy: string,
  now: Date,
  fields: Partial<Pick<Ask, 'priority' | 'reason' | 'question'>>,
): Ask {
  return {
    id,
    kind,
    status: 'ASKED',
    requestId: request.requestId,
    requestNumber: request.number,
    escalationId: escalation?.id ?? null,
    priority: fields.priority ?? null,
    reason: fields.reason ?? null,
    question: fields.question ?? null,
    askedBy,
    askedAt: now,
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    answer: null,
    tookEffectAt: null,
  };
}

/**
 * Row 98: "Team lead has the priority changed or gets an update from the product owner": the team lead of
 * the team that handles the request's product (Responsible), or the manager Service Center (Accountable).
 * Another team's lead is refused, as is a team lead the directory has not (yet) announced in a team.
 */
async function mustLeadTheProductsTeam(
  tx: EscalationsTransaction,
  caller: Caller,
  request: RequestView | undefined,
): Promise<void> {
  if (hasRole(caller, 'manager_service_center')) return;
  const teams = await tx.people.teamsOf(caller.id);
  if (!request?.teamId || !teams.includes(request.teamId))
    throw forbidden(
      `Only the team lead of the team handling request ${request?.number ?? ''} (or the manager Service Center) decides its asks (raci.csv row 98)`,
    );
}

async function lockedAsk(tx: EscalationsTransaction, id: string): Promise<Ask> {
  const ask = await tx.asks.findById(id, true);
  if (!ask) throw notFound('Ask', id);
  return ask;
}

function askFacts(ask: Ask, request: RequestView | undefined, at: Date = ask.askedAt) {
  if (!request) throw invalidTransition(ask.status, 'ASK', [], { reason: 'the request is no longer known' });
  return {
    askId: ask.id,
    requestId: ask.requestId,
    requestNumber: ask.requestNumber,
    customerId: request.customerId,
    teamId: request.teamId,
    escalationId: ask.escalationId,
    askedBy: ask.askedBy,
    occurredAt: at.toISOString(),
  };
}
