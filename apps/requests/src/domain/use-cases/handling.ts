import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { badInput, forbidden, invalidTransition, validate } from '@servicecenter/platform-errors';
import { event } from '@servicecenter/platform-events';
import {
  HandoverRequested,
  RequestChangeLinked,
  RequestHandedOver,
  RequestHandlingStarted,
  RequestSolutionProposed,
  RequestSolutionRejected,
} from '@servicecenter/contracts';
import type { Actor } from '../authorisation';
import { allowedActions, HANDOVER_TARGETS } from '../lifecycle';
import { RequestStepInputSchema, type Request } from '../request';
import { standardText } from '../standard-texts';
import { closeStep } from './closing';
import { resume } from './intake';
import { act, type LifecycleDeps } from './step';

const base = RequestStepInputSchema.shape;
const text = (max = 20_000) => z.string().trim().min(1, 'must not be empty').max(max);

/** Handling: an agent takes the request (and becomes its assignee when it has none). */
export async function startHandling(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(RequestStepInputSchema, raw);
  return act(
    deps,
    actor,
    correlationId,
    input,
    { permission: 'START_HANDLING', action: 'START_HANDLING' },
    async (step) => {
      const r = step.request;
      step.moveTo('IN_HANDLING');
      if (!r.assigneeId) {
        r.assigneeId = actor.caller.id;
        r.assignedAt ??= step.now;
      }
      step.emit(RequestHandlingStarted, {});
      await step.history('START_HANDLING', { assigneeId: r.assigneeId });
      return step.finish();
    },
  );
}

export const HandOverInputSchema = z.object({
  ...base,
  target: z.enum(['PRODUCT_DEVELOPMENT', 'CONSULTING']),
  /** The consultant's analysis: what product development or Consulting needs to act. */
  note: text(),
});

/**
 * Hand-over to product development (a product defect, or an RFC for PD/DevOps) or to
 * Consulting (consultancy RFCs, application services the Service Center does not execute).
 * Product development receives a self-contained event on servicecenter.handovers.v1.
 */
export async function handOverRequest(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(HandOverInputSchema, raw);
  return act(deps, actor, correlationId, input, { permission: 'HAND_OVER', action: 'HAND_OVER' }, async (step) => {
    const r = step.request;
    if (!HANDOVER_TARGETS[r.type].includes(input.target)) {
      throw badInput(
        'input.target',
        `A ${r.type} request can be handed over to ${HANDOVER_TARGETS[r.type].join(' or ')}`,
      );
    }
    step.moveTo('HANDED_OVER');
    r.handoverTarget = input.target;
    r.handedOverAt = step.now;
    r.assigneeId ??= actor.caller.id;
    await step.reply({ side: 'SERVICE_CENTER', visibility: 'INTERNAL', kind: 'HANDOVER_NOTE', body: input.note });
    const people = await step.tx.directory.peopleByIds([r.assigneeId, r.requesterId]);
    const person = (pid: string) => {
      const p = people.find((x) => x.id === pid);
      return { id: pid, name: p?.name ?? null, email: p?.email ?? null };
    };
    const product = await step.product(r.productId);
    const group = product ? (await step.tx.directory.productGroupsByIds([product.productGroupId]))[0] : undefined;
    step.tx.publish(
      event(HandoverRequested, r.id, {
        handoverId: randomUUID(),
        target: input.target,
        requestId: r.id,
        requestNumber: r.number,
        requestType: r.type,
        title: r.title,
        description: r.description,
        businessImpact: r.businessImpact,
        priority: r.priority ?? r.requestedPriority,
        requestedPriority: r.requestedPriority,
        product: product ? { id: product.id, name: product.name, productGroup: group?.name ?? null } : null,
        customer: { id: r.customerId, name: step.customer?.name ?? r.customerId },
        evidence: r.evidence.map((e) => ({
          kind: e.kind,
          name: e.name,
          contentType: e.contentType,
          url: e.url,
          text: e.text,
        })),
        contact: person(r.assigneeId),
        requester: person(r.requesterId),
        note: input.note,
        registeredAt: r.registeredAt.toISOString(),
        handedOverAt: step.now.toISOString(),
      }),
    );
    step.emit(RequestHandedOver, { target: input.target });
    await step.history('HAND_OVER', { target: input.target });
    return step.finish();
  });
}

export const LinkChangeInputSchema = z.object({
  ...base,
  changeRef: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, 'must be a change reference like PD-1234'),
  kind: z.enum(['NEW_FUNCTIONALITY', 'BUG']).nullish(),
  title: z.string().trim().min(1).max(300).nullish(),
});

/** The PD change coordinator links the change that will solve the request; many requests may share one. */
export async function linkChange(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(LinkChangeInputSchema, raw);
  return act(deps, actor, correlationId, input, { permission: 'LINK_CHANGE', action: 'LINK_CHANGE' }, async (step) => {
    const r = step.request;
    if (!r.handedOverAt || r.handoverTarget !== 'PRODUCT_DEVELOPMENT') {
      throw invalidTransition(r.status, 'LINK_CHANGE', allowedActions(r.type, r.status), {
        reason: 'only a request handed over to product development gets a change linked',
      });
    }
    if (!(await step.tx.requests.findChange(input.changeRef))) {
      await step.tx.requests.insertChange({
        ref: input.changeRef,
        title: input.title ?? null,
        kind: input.kind ?? (r.type === 'INCIDENT' ? 'BUG' : 'NEW_FUNCTIONALITY'),
        linkedBy: actor.caller.id,
        createdAt: step.now,
      });
    }
    r.changeRef = input.changeRef;
    await step.finish();
    const customerCount = await step.tx.requests.customerCountOfChange(input.changeRef);
    step.emit(RequestChangeLinked, { changeRef: input.changeRef, customerCount });
    await step.history('LINK_CHANGE', { changeRef: input.changeRef });
    return r;
  });
}

export const ProposeSolutionInputSchema = z.object({
  ...base,
  solution: text(),
  kind: z.enum(['SOLUTION', 'WORKAROUND']).nullish(),
  /** Answer an information request from an existing knowledge article. */
  articleId: z.string().trim().min(1).max(100).nullish(),
  /** Turn this answer into a knowledge article (RFI: answer and write an article), as a draft to review before customers see it. */
  publishAsArticle: z.object({ title: z.string().trim().min(3).max(200) }).nullish(),
});

/** Closing: write and send the solution (or answer); the request waits for the customer's reaction. */
export async function proposeSolution(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(ProposeSolutionInputSchema, raw);
  return act(
    deps,
    actor,
    correlationId,
    input,
    { permission: 'PROPOSE_SOLUTION', action: 'PROPOSE_SOLUTION' },
    async (step) => {
      const r = step.request;
      if (input.articleId && !(await step.tx.knowledge.exists(input.articleId)))
        throw badInput('input.articleId', `Knowledge article ${input.articleId} does not exist`);
      if ((input.articleId || input.publishAsArticle) && r.type !== 'INFORMATION') {
        throw badInput(
          input.articleId ? 'input.articleId' : 'input.publishAsArticle',
          'Knowledge articles answer information requests',
        );
      }
      let articleId = input.articleId ?? null;
      if (input.publishAsArticle) {
        articleId = (
          await step.tx.knowledge.createFromAnswer({
            title: input.publishAsArticle.title,
            body: input.solution,
            productId: r.productId,
            sourceRequestId: r.id,
            createdBy: actor.caller.id,
            now: step.now,
          })
        ).id;
      }
      step.moveTo('SOLUTION_PROPOSED');
      r.solution = input.solution;
      r.solutionKind = input.kind ?? 'SOLUTION';
      r.solutionArticleId = articleId;
      r.solutionProposedAt = step.now;
      await step.reply({ side: 'SERVICE_CENTER', visibility: 'PUBLIC', kind: 'SOLUTION', body: input.solution });
      step.emit(RequestSolutionProposed, { solutionKind: r.solutionKind, articleId, mutationExecutedBy: null });
      await step.history('PROPOSE_SOLUTION', { kind: r.solutionKind, articleId });
      return step.finish();
    },
  );
}

export const ExecuteMutationInputSchema = z.object({
  ...base,
  executedBy: z.enum(['HAND', 'ROBOT']),
  description: text(5000),
});

/** Application service: the mutation was executed by hand or by robot; the customer is informed. */
export async function executeMutation(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(ExecuteMutationInputSchema, raw);
  return act(
    deps,
    actor,
    correlationId,
    input,
    { permission: 'EXECUTE_MUTATION', action: 'EXECUTE_MUTATION' },
    async (step) => {
      const r = step.request;
      step.moveTo('SOLUTION_PROPOSED');
      r.mutationExecutedBy = input.executedBy;
      r.mutationDescription = input.description;
      r.solution = input.description;
      r.solutionKind = 'SOLUTION';
      r.solutionProposedAt = step.now;
      const body = `${standardText(step.customerLanguage, 'MUTATION_EXECUTED', { number: r.number, title: r.title })}\n${input.description}`;
      await step.reply({ side: 'SERVICE_CENTER', visibility: 'PUBLIC', kind: 'MUTATION_REPORT', body });
      step.emit(RequestSolutionProposed, {
        solutionKind: 'SOLUTION',
        articleId: null,
        mutationExecutedBy: input.executedBy,
      });
      await step.history('EXECUTE_MUTATION', { executedBy: input.executedBy });
      return step.finish();
    },
  );
}

export const RespondToSolutionInputSchema = z.object({
  ...base,
  accepted: z.boolean(),
  comment: z.string().trim().max(5000).nullish(),
});

/**
 * The customer's reaction: agreeing closes the request automatically with the standard
 * text (SOLVED, or WORKAROUND when a workaround was given); not agreeing resumes handling.
 */
export async function respondToSolution(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(RespondToSolutionInputSchema, raw);
  const rule = {
    permission: input.accepted ? ('ACCEPT_SOLUTION' as const) : ('REJECT_SOLUTION' as const),
    action: input.accepted ? ('ACCEPT_SOLUTION' as const) : ('REJECT_SOLUTION' as const),
  };
  return act(deps, actor, correlationId, input, rule, async (step, role) => {
    const r = step.request;
    if (input.comment)
      await step.reply({
        side: role === 'customer' ? 'CUSTOMER' : 'SERVICE_CENTER',
        visibility: 'PUBLIC',
        kind: 'MESSAGE',
        body: input.comment,
      });
    if (input.accepted) {
      await closeStep(step, r.solutionKind === 'WORKAROUND' ? 'WORKAROUND' : 'SOLVED', {
        automatic: true,
        action: 'ACCEPT_SOLUTION',
      });
      return step.finish();
    }
    step.moveTo('IN_HANDLING');
    step.emit(RequestSolutionRejected, { comment: input.comment ?? null });
    await step.history('REJECT_SOLUTION', { comment: input.comment ?? null });
    return step.finish();
  });
}

export const AddReplyInputSchema = z.object({ ...base, body: text(), internal: z.boolean().nullish() });

/**
 * Conversation: public replies and internal notes. A customer's public reply to a request
 * waiting for them answers the wait and handling resumes.
 */
export async function addReply(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(AddReplyInputSchema, raw);
  const permission = input.internal ? ('ADD_NOTE' as const) : ('REPLY' as const);
  return act(deps, actor, correlationId, input, { permission, action: null }, async (step, role) => {
    const r = step.request;
    if (!input.internal && r.status === 'CLOSED') {
      throw invalidTransition(r.status, 'REPLY', allowedActions(r.type, r.status), {
        reason: 'the request is closed: reopen it for the same question, or register a new request',
      });
    }
    if (role === 'customer' && input.internal) throw forbidden('Customers write public replies only');
    const side = role === 'customer' ? 'CUSTOMER' : 'SERVICE_CENTER';
    await step.reply({ side, visibility: input.internal ? 'INTERNAL' : 'PUBLIC', kind: 'MESSAGE', body: input.body });
    await step.history(input.internal ? 'ADD_NOTE' : 'REPLY');
    if (side === 'CUSTOMER' && r.status === 'WAITING_FOR_CUSTOMER') {
      await resume(step);
    }
    return step.finish();
  });
}
