import { z } from 'zod';
import { defineEvent } from '@servicecenter/events';
import { PrioritySchema, RequestTypeSchema } from './requests.events';
import { Topics } from './topics';

const TargetKindSchema = z.enum(['FIRST_RESPONSE', 'ASSIGNMENT', 'ACCEPTANCE', 'WORKAROUND', 'RESOLUTION']);

const ClockFacts = z.object({
  requestId: z.uuid(),
  customerId: z.string(),
  productId: z.string().nullable(),
  productGroupId: z.string().nullable(),
  teamId: z.string().nullable(),
  type: RequestTypeSchema,
  priority: PrioritySchema.describe('The priority the target is computed for'),
  kind: TargetKindSchema.describe('Which target'),
  unit: z.enum(['WORKING_TIME', 'CALENDAR_TIME']),
  budgetMs: z.number().describe('The target in milliseconds of its unit'),
  dueAt: z.iso.datetime({ offset: true }).describe('When the target runs out (given the pauses so far)'),
});

export const SlaWarningReached = defineEvent({
  type: 'servicecenter.sla.warning-reached.v1',
  topic: Topics.sla,
  description: 'A running SLA clock used up a warning share of its target (by default 50%, 75% or 90%). Published once per clock and threshold.',
  schema: ClockFacts.extend({
    threshold: z.number().describe('The share of the target used, e.g. 0.75'),
    reachedAt: z.iso.datetime({ offset: true }),
  }),
});

export const SlaBreached = defineEvent({
  type: 'servicecenter.sla.breached.v1',
  topic: Topics.sla,
  description: 'An SLA clock ran out before its target was met. Published once per clock.',
  schema: ClockFacts.extend({ breachedAt: z.iso.datetime({ offset: true }) }),
});

export const SLA_EVENTS = [SlaWarningReached, SlaBreached] as const;
