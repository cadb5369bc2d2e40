import { z } from 'zod';
import { badInput, forbidden, invalidTransition, validate } from '@servicecenter/platform-errors';
import { RequestClosed, RequestReminderSent } from '@servicecenter/contracts';
import type { Actor } from '../authorisation';
import { allowedActions } from '../lifecycle';
import type { FollowUpPayload, RequestsTransaction } from '../ports';
import {
  COMPLETION_REASONS,
  EvidenceInputSchema,
  VersionSchema,
  type CompletionReason,
  type EvidenceInput,
  type Request,
} from '../request';
import { closingTextKey, standardText } from '../standard-texts';
import { register } from './register';
import { act, actAsSystem, type LifecycleDeps, type Step } from './step';

/** Closes the request in `step` with the standard text of the reason, in the customer's language. */
export async function closeStep(
  step: Step,
  reason: CompletionReason,
  options: { automatic: boolean; action: string; note?: string | null; continuedAs?: string | null },
): Promise<void> {
  const r = step.request;
  step.moveTo('CLOSED');
  r.completionReason = reason;
  r.closedAt = step.now;
  const text = standardText(step.customerLanguage, closingTextKey(reason), {
    number: r.number,
    title: r.title,
    reminders: r.remindersSent,
  });
  await step.reply({
    side: options.automatic ? 'SYSTEM' : 'SERVICE_CENTER',
    visibility: 'PUBLIC',
    kind: 'CLOSING_TEXT',
    body: options.note ? `${text}\n${options.note}` : text,
  });
  step.emit(RequestClosed, {
    completionReason: reason,
    automatic: options.automatic,
    closedAt: step.now.toISOString(),
    registeredAt: r.registeredAt.toISOString(),
    continuedAs: options.continuedAs ?? null,
  });
  await step.history(options.action, {
    reason,
    automatic: options.automatic,
    continuedAs: options.continuedAs ?? null,
  });
}

export const CloseRequestInputSchema = z.object({
  requestId: z.uuid('must be a request id'),
  version: VersionSchema.nullish(),
  reason: z.enum(COMPLETION_REASONS),
  /** Added under the standard closing text. */
  note: z.string().trim().max(5000).nullish(),
});

/**
 * Close by hand with a standard text. SOLVED and WORKAROUND need a solution sent first;
 * NO_REPLY is only ever set by the system after the reminders; a customer may withdraw.
 */
export async function closeRequest(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(CloseRequestInputSchema, raw);
  return act(deps, actor, correlationId, input, { permission: 'CLOSE', action: 'CLOSE' }, async (step, role) => {
    const r = step.request;
    if (role === 'customer' && input.reason !== 'WITHDRAWN')
      throw forbidden('Customers can withdraw a request; the Service Center closes it otherwise');
    const reject = (reason: string) =>
      invalidTransition(r.status, `CLOSE ${input.reason}`, allowedActions(r.type, r.status), { reason });
    if (input.reason === 'NO_REPLY') throw reject('NO_REPLY is set automatically after the last reminder');
    if ((input.reason === 'SOLVED' || input.reason === 'WORKAROUND') && r.status !== 'SOLUTION_PROPOSED')
      throw reject('send the solution to the customer first');
    await closeStep(step, input.reason, { automatic: false, action: 'CLOSE', note: input.note });
    return step.finish();
  });
}

export const TreatAsNewInputSchema = z.object({
  requestId: z.uuid('must be a request id'),
  version: VersionSchema.nullish(),
  title: z.string().trim().min(3, 'must be at least 3 characters').max(200),
  description: z.string().trim().min(1, 'must not be empty').max(20_000),
  /** The new request's business impact; the closed request's when absent. */
  businessImpact: z.string().trim().max(10_000).nullish(),
  /**
   * Evidence (screenshots, error messages, files) carried over from the closed request, by
   * name; absent: all of it. An empty list carries none over.
   */
  carryEvidence: z.array(z.string().trim().min(1).max(300)).max(50).nullish(),
  /** More evidence for the new question. */
  addEvidence: z.array(EvidenceInputSchema).max(50).nullish(),
});

/** The closed request's evidence the follow-up keeps: all of it, or the items named (an unknown name is BAD_USER_INPUT). */
function carriedEvidence(old: Request, names: readonly string[] | null | undefined): EvidenceInput[] {
  const keep = names ?? old.evidence.map((e) => e.name);
  const unknown = keep.filter((name) => !old.evidence.some((e) => e.name === name));
  if (unknown.length > 0)
    throw badInput('input.carryEvidence', `Request ${old.number} has no evidence named ${unknown.join(', ')}`);
  return old.evidence
    .filter((e) => keep.includes(e.name))
    .map((e) => ({
      kind: e.kind,
      name: e.name,
      contentType: e.contentType,
      sizeBytes: e.sizeBytes,
      url: e.url,
      text: e.text,
    }));
}

/**
 * Intake step 2, the other way: the reopened request holds a different question. It is
 * closed again (with its earlier completion reason) and a new request, linked to it, is
 * registered for the new question, with the closed request's evidence and business impact
 * (unless the input says otherwise), so its completeness check does not ask the customer
 * again for what they already gave.
 */
export async function treatAsNewRequest(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<{ closed: Request; created: Request }> {
  const input = validate(TreatAsNewInputSchema, raw);
  const result = await act(
    deps,
    actor,
    correlationId,
    input,
    { permission: 'TREAT_AS_NEW', action: 'TREAT_AS_NEW' },
    async (step) => {
      const old = step.request;
      const created = await register(
        deps,
        step.tx,
        { ...actor, caller: actor.caller },
        {
          type: old.type,
          title: input.title,
          description: input.description,
          businessImpact: input.businessImpact ?? old.businessImpact,
          requestedPriority: old.requestedPriority,
          productId: old.productId,
          customerId: old.customerId,
          requesterId: old.requesterId,
          evidence: [...carriedEvidence(old, input.carryEvidence), ...(input.addEvidence ?? [])],
        },
        old.id,
      );
      const note = standardText(step.customerLanguage, 'CONTINUED_AS_NEW', {
        number: old.number,
        newNumber: created.number,
      });
      await closeStep(step, old.previousCompletionReason ?? 'SOLVED', {
        automatic: false,
        action: 'TREAT_AS_NEW',
        note,
        continuedAs: created.id,
      });
      return { closed: await step.finish(), created };
    },
  );
  deps.registered?.(result.created);
  return result;
}

/**
 * The durable follow-up of a request waiting for the customer (or for their reaction to a
 * solution): reminders after the configured working days, then automatic closing with
 * NO_REPLY. A timer from an earlier wait finds the request moved on and does nothing.
 */
export async function followUp(
  deps: LifecycleDeps,
  tx: RequestsTransaction,
  requestId: string,
  payload: FollowUpPayload,
): Promise<void> {
  await actAsSystem(deps, tx, requestId, 'system:requests', async (step) => {
    const r = step.before;
    const waitStart =
      r.status === 'WAITING_FOR_CUSTOMER'
        ? r.waitingSince
        : r.status === 'SOLUTION_PROPOSED'
          ? r.solutionProposedAt
          : null;
    if (!waitStart || waitStart.toISOString() !== payload.waitStartedAt) return;
    const reminders = deps.followUp.reminderWorkingDays;
    if (payload.step <= reminders.length) {
      const req = step.request;
      req.remindersSent = payload.step;
      const body = standardText(step.customerLanguage, 'REMINDER', {
        number: req.number,
        title: req.title,
        reminder: payload.step,
        reminders: reminders.length,
        missing: req.missingInformation.map((m) => `- ${m}`).join('\n'),
      }).trim();
      await step.reply({ side: 'SYSTEM', visibility: 'PUBLIC', kind: 'REMINDER', body });
      step.emit(RequestReminderSent, { reminder: payload.step, of: reminders.length });
      await step.history('REMINDER', { reminder: payload.step });
      await step.finish();
      const next = payload.step < reminders.length ? reminders[payload.step] : deps.followUp.closeAfterWorkingDays;
      await tx.timers.schedule(req.id, deps.addWorkingDays(step.now, next), {
        waitStartedAt: payload.waitStartedAt,
        step: payload.step + 1,
      });
      return;
    }
    await closeStep(step, 'NO_REPLY', { automatic: true, action: 'CLOSE' });
    await step.finish();
  });
}
