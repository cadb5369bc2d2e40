import { z } from 'zod';
import { customerScope, scopeCoversCustomer, type Caller } from '@servicecenter/platform-auth';
import {
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
import { badInput, conflict, invalidTransition, notFound, validate } from '@servicecenter/platform-errors';
import { answer, decide, priorityJustification, type Ask } from './ask';
import { mustBeTeamManager, mustManageEscalations } from './authorisation';
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
import type {
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
      mustManageEscalations(caller);
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
      mustManageEscalations(caller);
      const i = validate(StepInput, input);
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
      mustManageEscalations(caller);
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
      mustManageEscalations(caller);
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
        return ask;
      });
    },

    async askStatusUpdate(caller: Caller, input: AskStatusUpdateInput, correlationId: string): Promise<Ask> {
      mustManageEscalations(caller);
      const i = validate(AskStatusInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const request = await knownRequest(tx, caller, i.requestId);
        const escalation = await escalationOf(tx, caller, i.escalationId, request.requestId);
        const ask = newAsk(deps.newId(), 'STATUS_UPDATE', request, escalation, caller.id, deps.now(), {
          question: i.question,
        });
        await tx.asks.insert(ask);
        tx.publish(event(StatusUpdateAsked, ask.id, { ...askFacts(ask, request), question: i.question }));
        return ask;
      });
    },

    async decidePriorityChange(caller: Caller, input: DecidePriorityChangeInput, correlationId: string): Promise<Ask> {
      mustBeTeamManager(caller);
      const i = validate(DecideInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await lockedAsk(tx, i.askId);
        const now = deps.now();
        const after = decide(before, i.approve, i.reason, caller.id, now);
        await tx.asks.update(after);
        const [request] = await tx.requests.findByIds([after.requestId]);
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
      mustBeTeamManager(caller);
      const i = validate(AnswerInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await lockedAsk(tx, i.askId);
        const now = deps.now();
        const after = answer(before, i.answer, caller.id, now);
        await tx.asks.update(after);
        const [request] = await tx.requests.findByIds([after.requestId]);
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

    async logUrgentCall(caller: Caller, input: LogUrgentCallInput, correlationId: string): Promise<UrgentCall> {
      mustManageEscalations(caller);
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

async function lockedAsk(tx: EscalationsTransaction, id: string): Promise<Ask> {
  const ask = await tx.asks.findById(id, true);
  if (!ask) throw notFound('Ask', id);
  return ask;
}

function askFacts(ask: Ask, request: RequestView | undefined, at: Date = ask.askedAt) {
  if (!request) throw invalidTransition('UNKNOWN_REQUEST', 'ASK', [], { reason: 'the request is no longer known' });
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
