import { z } from 'zod';

import { badInput, forbidden, invalidTransition, validate } from '@servicecenter/platform-errors';
import {
  RequestAccepted,
  RequestAssigned,
  RequestPrioritised,
  RequestReopened,
  RequestResumed,
  RequestReturnedToCustomer,
  RequestUpdated,
} from '@servicecenter/contracts';
import type { Actor } from '../authorisation';
import { allowedActions } from '../lifecycle';
import { EvidenceInputSchema, PRIORITIES, toEvidence, RequestStepInputSchema, type Request } from '../request';
import { standardText } from '../standard-texts';
import { act, type LifecycleDeps, type Step } from './step';

const id = z.string().trim().min(1, 'must not be empty').max(100);
const base = RequestStepInputSchema.shape;
const note = (max = 20_000) => z.string().trim().min(1, 'must not be empty').max(max);

export const UpdateRequestInputSchema = z.object({
  ...base,
  title: z.string().trim().min(3, 'must be at least 3 characters').max(200).nullish(),
  description: note().nullish(),
  businessImpact: note(10_000).nullish(),
  productId: id.nullish(),
  addEvidence: z.array(EvidenceInputSchema).max(50).nullish(),
  /** A message to the desk with the update; answers the open questions. */
  message: note().nullish(),
});

/**
 * The customer completes or updates a request (RACI: customer registers or updates). While
 * the request waits for the customer, the customer's update answers the wait and handling
 * resumes; the desk completing it after a phone call does the same ("call the customer and
 * update the ticket").
 */
export async function updateRequest(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(UpdateRequestInputSchema, raw);
  return act(deps, actor, correlationId, input, { permission: 'UPDATE', action: 'UPDATE' }, async (step, role) => {
    const r = step.request;
    const fields: string[] = [];
    const text = { title: input.title, description: input.description, businessImpact: input.businessImpact } as const;
    for (const [field, value] of Object.entries(text) as [keyof typeof text, string | null | undefined][]) {
      if (value && value !== r[field]) {
        r[field] = value;
        fields.push(field);
      }
    }
    if (input.productId && input.productId !== r.productId) {
      const product = await step.product(input.productId);
      if (!product) throw badInput('input.productId', `Product ${input.productId} does not exist`);
      r.productId = product.id;
      r.teamId = product.teamId;
      fields.push('productId');
    }
    if (input.addEvidence?.length) {
      r.evidence = [...r.evidence, ...input.addEvidence.map((e) => toEvidence(e, actor.caller.id, step.now))];
      fields.push('evidence');
    }
    if (fields.length === 0 && !input.message)
      throw badInput('input', 'Nothing to update: give at least one field or a message');
    if (input.message) {
      await step.reply({
        side: role === 'customer' ? 'CUSTOMER' : 'SERVICE_CENTER',
        visibility: 'PUBLIC',
        kind: 'MESSAGE',
        body: input.message,
      });
    }
    if (fields.length > 0) step.emit(RequestUpdated, { fields });
    await step.history('UPDATE', { fields });
    if (r.status === 'WAITING_FOR_CUSTOMER') await resume(step);
    return step.finish();
  });
}

/** Ends a wait for the customer: back to where the request was when the wait began. */
export async function resume(step: Step): Promise<void> {
  const r = step.request;
  const waitedFrom = r.waitingSince;
  const from = r.status;
  step.moveTo(r.resumeStatus ?? 'REGISTERED');
  const waitedMs = waitedFrom ? step.now.getTime() - waitedFrom.getTime() : 0;
  step.emit(RequestResumed, { waitedMs }, from);
  await step.history('RESUME', { waitedMs }, from);
}

export const RequestInformationInputSchema = z.object({
  ...base,
  /** What the customer must supply, one item per line. */
  missing: z.array(note(500)).min(1, 'name at least one thing the customer must supply').max(20),
  message: note().nullish(),
});

/** Intake step 3/4 and handling: the request goes back to the customer, with reminders. */
export async function requestInformation(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(RequestInformationInputSchema, raw);
  return act(
    deps,
    actor,
    correlationId,
    input,
    { permission: 'REQUEST_INFORMATION', action: 'REQUEST_INFORMATION' },
    async (step) => {
      const r = step.request;
      const reason =
        r.status === 'REGISTERED' || r.status === 'REOPENED' ? 'INCOMPLETE_REGISTRATION' : 'INFORMATION_REQUESTED';
      step.moveTo('WAITING_FOR_CUSTOMER');
      r.waitReason = reason;
      r.missingInformation = input.missing;
      const list = input.missing.map((m) => `- ${m}`).join('\n');
      await step.reply({
        side: 'SERVICE_CENTER',
        visibility: 'PUBLIC',
        kind: 'INFORMATION_REQUEST',
        body: input.message ? `${input.message}\n${list}` : list,
      });
      step.emit(RequestReturnedToCustomer, { reason, missing: input.missing });
      await step.history('REQUEST_INFORMATION', { missing: input.missing });
      return step.finish();
    },
  );
}

export const AssignRequestInputSchema = z.object({ ...base, teamId: id.nullish(), assigneeId: id.nullish() });

/**
 * Intake step 5: assign to a team and a consultant. A consultant makes the first
 * assignment or takes an unassigned request; changing an existing assignment is the team
 * lead's (or the manager Service Center's) call.
 */
export async function assignRequest(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(AssignRequestInputSchema, raw);
  if (!input.teamId && !input.assigneeId) throw badInput('input.assigneeId', 'Give a teamId, an assigneeId or both');
  return act(deps, actor, correlationId, input, { permission: 'ASSIGN', action: 'ASSIGN' }, async (step, role) => {
    const r = step.request;
    const previous = { teamId: r.teamId, assigneeId: r.assigneeId };
    const teamId = input.teamId ?? r.teamId;
    if (input.teamId) {
      const [team] = await step.tx.directory.teamsByIds([input.teamId]);
      if (!team) throw badInput('input.teamId', `Team ${input.teamId} does not exist`);
    }
    if (input.assigneeId) {
      const [person] = await step.tx.directory.peopleByIds([input.assigneeId]);
      if (
        !person ||
        !person.roles.some((x) => x === 'support_consultant' || x === 'team_lead' || x === 'manager_service_center')
      ) {
        throw badInput('input.assigneeId', `${input.assigneeId} is not a Service Center consultant`);
      }
      if (teamId && !person.teamIds.includes(teamId))
        throw badInput('input.assigneeId', `${person.name} is not in team ${teamId}`);
    }
    const changesExisting =
      (input.teamId && r.teamId && input.teamId !== r.teamId) ||
      (input.assigneeId && r.assigneeId && input.assigneeId !== r.assigneeId);
    if (role === 'support_consultant' && changesExisting)
      throw forbidden('Changing an existing assignment is up to the team lead');
    r.teamId = teamId;
    r.assigneeId = input.assigneeId ?? (input.teamId && input.teamId !== previous.teamId ? null : r.assigneeId);
    r.assignedAt ??= r.assigneeId ? step.now : null;
    step.emit(RequestAssigned, { previousTeamId: previous.teamId, previousAssigneeId: previous.assigneeId });
    await step.history('ASSIGN', { from: previous, to: { teamId: r.teamId, assigneeId: r.assigneeId } });
    return step.finish();
  });
}

export const PrioritiseRequestInputSchema = z.object({
  ...base,
  priority: z.enum(PRIORITIES),
  justification: z.string().trim().max(2000).nullish(),
  category: z.string().trim().min(1).max(100).nullish(),
});

/**
 * Intake step 5: classify and prioritise by business impact. A priority other than the
 * customer's requested one needs a recorded justification; the consultant sets the first
 * priority, later changes are the team lead's.
 */
export async function prioritiseRequest(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(PrioritiseRequestInputSchema, raw);
  return act(
    deps,
    actor,
    correlationId,
    input,
    { permission: 'PRIORITISE', action: 'PRIORITISE' },
    async (step, role) => {
      const r = step.request;
      if (input.priority !== r.requestedPriority && !input.justification) {
        throw badInput(
          'input.justification',
          `A justification is required when the priority (${input.priority}) differs from the customer's requested ${r.requestedPriority}`,
        );
      }
      if (role === 'support_consultant' && r.priority !== null && r.priority !== input.priority)
        throw forbidden('Changing a priority is up to the team lead');
      const previousPriority = r.priority;
      r.priority = input.priority;
      r.priorityJustification = input.justification ?? null;
      r.category = input.category ?? r.category;
      step.emit(RequestPrioritised, { previousPriority, justification: r.priorityJustification, category: r.category });
      await step.history('PRIORITISE', {
        from: previousPriority,
        to: r.priority,
        justification: r.priorityJustification,
        category: r.category,
      });
      return step.finish();
    },
  );
}

export const InHandlingNoticeInputSchema = z.object({ ...base, message: note().nullish() });

/** Intake step 6: tell the customer the request is in handling (the first response). */
export async function sendInHandlingNotice(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(InHandlingNoticeInputSchema, raw);
  return act(
    deps,
    actor,
    correlationId,
    input,
    { permission: 'SEND_IN_HANDLING_NOTICE', action: 'SEND_IN_HANDLING_NOTICE' },
    async (step) => {
      const r = step.request;
      const text = standardText(step.customerLanguage, 'IN_HANDLING', { number: r.number, title: r.title });
      await step.reply({
        side: 'SERVICE_CENTER',
        visibility: 'PUBLIC',
        kind: 'IN_HANDLING_NOTICE',
        body: input.message ? `${text}\n${input.message}` : text,
      });
      await step.history('SEND_IN_HANDLING_NOTICE');
      return step.finish();
    },
  );
}

/** Intake step 7: accept once all quality criteria are met (product, team, priority). */
export async function acceptRequest(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(RequestStepInputSchema, raw);
  return act(deps, actor, correlationId, input, { permission: 'ACCEPT', action: 'ACCEPT' }, async (step) => {
    const r = step.request;
    const missing = [!r.productId && 'product', !r.teamId && 'team', !r.priority && 'priority'].filter(
      (m): m is string => Boolean(m),
    );
    if (missing.length > 0) {
      throw invalidTransition(r.status, 'ACCEPT', allowedActions(r.type, r.status), {
        reason: `quality criteria not met: set ${missing.join(', ')} first`,
        missing,
      });
    }
    step.moveTo('ACCEPTED');
    r.acceptedAt = step.now;
    step.emit(RequestAccepted, {});
    await step.history('ACCEPT');
    return step.finish();
  });
}

export const ReopenRequestInputSchema = z.object({ ...base, message: note() });

/** Intake step 2: a closed request comes back; the same question reopens it. */
export async function reopenRequest(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(ReopenRequestInputSchema, raw);
  return act(deps, actor, correlationId, input, { permission: 'REOPEN', action: 'REOPEN' }, async (step, role) => {
    const r = step.request;
    r.previousCompletionReason = r.completionReason;
    r.completionReason = null;
    r.closedAt = null;
    r.reopenCount += 1;
    step.moveTo('REOPENED');
    await step.reply({
      side: role === 'customer' ? 'CUSTOMER' : 'SERVICE_CENTER',
      visibility: 'PUBLIC',
      kind: 'MESSAGE',
      body: input.message,
    });
    step.emit(RequestReopened, {});
    await step.history('REOPEN', { previousCompletionReason: r.previousCompletionReason });
    return step.finish();
  });
}
