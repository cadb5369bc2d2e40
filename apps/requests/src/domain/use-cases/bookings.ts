import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  badInput,
  conflict,
  forbidden,
  invalidTransition,
  parseCalendarDate,
  validate,
} from '@servicecenter/platform-errors';
import { RequestSurveyAnswered, RequestTimeBooked } from '@servicecenter/contracts';
import type { Actor } from '../authorisation';
import { surveyCategory, surveyOpen, type TimeBooking } from '../bookings';
import { allowedActions } from '../lifecycle';
import { VersionSchema, type Request } from '../request';
import { act, type LifecycleDeps } from './step';

export const BookTimeInputSchema = z.object({
  requestId: z.uuid('must be a request id'),
  version: VersionSchema.nullish(),
  hours: z
    .number()
    .positive('must be more than 0')
    .max(24, 'at most 24 hours per booking')
    .refine((h) => Number.isInteger(h * 4), 'must be in steps of a quarter hour (0.25)'),
  // Also checked here: an imported history's steps reach this schema as JSON, past the Date scalar.
  workDate: z.string().superRefine((value, ctx) => {
    const parsed = parseCalendarDate(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
  }),
  description: z.string().trim().max(2000).nullish(),
});

/**
 * Books hours of work on a request. Whoever may handle the request books (the handling rows
 * of raci.csv); the work day may not lie in the future of the desk's clock.
 */
export async function bookTime(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<{ request: Request; booking: TimeBooking }> {
  const input = validate(BookTimeInputSchema, raw);
  return act(deps, actor, correlationId, input, { permission: 'BOOK_TIME', action: null }, async (step) => {
    // "Today" anywhere on earth (UTC+14 is the furthest ahead), so no desk's today is refused.
    const latestToday = new Date(step.now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
    if (input.workDate > latestToday)
      throw badInput('input.workDate', `Work cannot be booked on a day in the future (${input.workDate})`);
    const booking: TimeBooking = {
      id: randomUUID(),
      requestId: step.request.id,
      hours: input.hours,
      workDate: input.workDate,
      bookedBy: step.actorId,
      description: input.description ?? null,
      bookedAt: step.now,
    };
    await step.tx.requests.addBooking(booking);
    step.emit(RequestTimeBooked, {
      bookingId: booking.id,
      hours: booking.hours,
      workDate: booking.workDate,
      bookedBy: booking.bookedBy,
      description: booking.description,
    });
    await step.history('BOOK_TIME', { hours: booking.hours, workDate: booking.workDate });
    return { request: await step.finish(), booking };
  });
}

export const AnswerSurveyInputSchema = z.object({
  requestId: z.uuid('must be a request id'),
  score: z
    .number()
    .int('must be a whole number')
    .min(0, 'must be between 0 and 10')
    .max(10, 'must be between 0 and 10'),
  comment: z.string().trim().max(2000).nullish(),
});

/**
 * The customer's answer to the short satisfaction survey after closing (0–10 and a comment),
 * once per request. Only a user of the request's own organisation answers it.
 */
export async function answerSurvey(
  deps: LifecycleDeps,
  actor: Actor,
  raw: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(AnswerSurveyInputSchema, raw);
  const customerOnly = (who: Actor, request: Request) => {
    if (who.caller.roles.includes('customer') && who.caller.customerId === request.customerId)
      return 'customer' as const;
    throw forbidden('Only the customer answers the satisfaction survey of their request');
  };
  return act(deps, actor, correlationId, input, { permission: customerOnly, action: null }, async (step) => {
    const r = step.request;
    if (await step.tx.requests.hasSurvey(r.id))
      throw conflict(`The survey of request ${r.number} was already answered`, { currentVersion: step.before.version });
    if (!surveyOpen(r, false)) {
      throw invalidTransition(r.status, 'ANSWER_SURVEY', allowedActions(r.type, r.status), {
        reason:
          r.status === 'CLOSED'
            ? `a request closed as ${r.completionReason} has no survey`
            : 'the survey opens when the request is closed',
      });
    }
    const answer = {
      requestId: r.id,
      score: input.score,
      comment: input.comment || null,
      answeredBy: step.actorId,
      answeredAt: step.now,
    };
    await step.tx.requests.addSurvey(answer);
    step.emit(RequestSurveyAnswered, {
      score: answer.score,
      comment: answer.comment,
      category: surveyCategory(answer.score),
      answeredBy: answer.answeredBy,
      answeredAt: answer.answeredAt.toISOString(),
    });
    await step.history('ANSWER_SURVEY', { score: answer.score });
    return step.finish();
  });
}
