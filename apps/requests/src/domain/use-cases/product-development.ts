import { z } from 'zod';
import { conflict, invalidTransition, notFound, validate } from '@servicecenter/platform-errors';
import { RequestProductDevelopmentAnswered, RequestProductDevelopmentAsked } from '@servicecenter/contracts';
import type { Actor } from '../authorisation';
import { allowedActions } from '../lifecycle';
import { VersionSchema, type Request } from '../request';
import { act, type LifecycleDeps } from './step';

const base = { requestId: z.uuid('must be a request id'), version: VersionSchema.nullish() };
const text = z.string().trim().min(1, 'must not be empty').max(20_000);

const ASKED = 'ASK_PRODUCT_DEVELOPMENT';
const ANSWERED = 'ANSWER_PRODUCT_DEVELOPMENT_QUESTION';

export const AskProductDevelopmentInputSchema = z.object({ ...base, question: text });

/**
 * raci.csv row 71 "Get information from product development" (information, handling; support
 * consultant R, team lead A, PD change coordinator C): the desk asks product development a
 * question on an information request in handling. The question is an internal reply; from
 * now on product development reads the request (it is work given to it) and the PD change
 * coordinator, notified through `servicecenter.request.product-development-asked.v1`,
 * answers in it.
 */
export async function askProductDevelopment(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<{ request: Request; questionId: string }> {
  const input = validate(AskProductDevelopmentInputSchema, raw);
  return act(deps, actor, correlationId, input, { permission: ASKED, action: null }, async (step) => {
    const r = step.request;
    if (r.status !== 'IN_HANDLING')
      throw invalidTransition(r.status, ASKED, allowedActions(r.type, r.status), {
        reason: 'product development is asked while the request is in handling: take it into handling first',
      });
    const questionId = await step.reply({
      side: 'SERVICE_CENTER',
      visibility: 'INTERNAL',
      kind: 'PRODUCT_DEVELOPMENT_QUESTION',
      body: input.question,
    });
    r.productDevelopmentAskedAt ??= step.now;
    step.emit(RequestProductDevelopmentAsked, { questionId, question: input.question, askedBy: actor.caller.id });
    await step.history(ASKED, { questionId });
    return { request: await step.finish(), questionId };
  });
}

export const AnswerProductDevelopmentQuestionInputSchema = z.object({
  ...base,
  questionId: z.uuid('must be the id of a question to product development'),
  answer: text,
});

/**
 * raci.csv row 71, the Consulted side: the PD change coordinator answers the desk's question
 * in the request, once. The answer is an internal reply (the desk reads it in `replies`; the
 * customer does not see it) and `servicecenter.request.product-development-answered.v1`.
 */
export async function answerProductDevelopmentQuestion(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<{ request: Request; answerId: string }> {
  const input = validate(AnswerProductDevelopmentQuestionInputSchema, raw);
  return act(deps, actor, correlationId, input, { permission: ANSWERED, action: null }, async (step) => {
    const r = step.request;
    const history = await step.tx.requests.historyOf([r.id]);
    const asked = history.find((h) => h.action === ASKED && h.details['questionId'] === input.questionId);
    if (!asked) throw notFound('ProductDevelopmentQuestion', input.questionId);
    if (history.some((h) => h.action === ANSWERED && h.details['questionId'] === input.questionId))
      throw conflict('This question was answered already: add an internal note for more');
    if (r.status === 'CLOSED')
      throw invalidTransition(r.status, ANSWERED, allowedActions(r.type, r.status), {
        reason: 'the request is closed',
      });
    const answerId = await step.reply({
      side: 'SERVICE_CENTER',
      visibility: 'INTERNAL',
      kind: 'PRODUCT_DEVELOPMENT_ANSWER',
      body: input.answer,
    });
    step.emit(RequestProductDevelopmentAnswered, {
      questionId: input.questionId,
      answerId,
      answeredBy: actor.caller.id,
      askedBy: asked.actorId,
    });
    await step.history(ANSWERED, { questionId: input.questionId, answerId });
    return { request: await step.finish(), answerId };
  });
}
