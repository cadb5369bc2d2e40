import { z } from 'zod';
import { defineEvent } from './event-contract';
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
  description:
    'A running SLA clock used up a warning share of its target (by default 50%, 75% or 90%). Published once per clock and threshold.',
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

const TargetFacts = ClockFacts.omit({ dueAt: true }).extend({
  requestVersion: z.number().int().describe('The request version whose event settled or resumed the target'),
});

export const SlaTargetCompleted = defineEvent({
  type: 'servicecenter.sla.target-completed.v1',
  topic: Topics.sla,
  description:
    'A target stopped: met in time (MET), met late or abandoned after its breach (MISSED), or not owed because the request ended as duplicate, withdrawn or declined before its due time, or closed NO_REPLY before anyone on the desk acted (NOT_APPLICABLE: left out of compliance). Published again when a later change settles it differently; the newest per request and target counts. The source of compliance reports.',
  schema: TargetFacts.extend({
    outcome: z.enum(['MET', 'MISSED', 'NOT_APPLICABLE']),
    startedAt: z.iso.datetime({ offset: true }),
    completedAt: z.iso.datetime({ offset: true }).describe('When the target was met or abandoned'),
    dueAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .describe('When the budget ran out, or would have, given the pauses'),
    elapsedMs: z.number().describe('Time counted against the target, in its unit, pauses excluded'),
    pausedMs: z.number().describe('Time not counted (waiting for the customer), in the same unit'),
    hardLimitMs: z.number().nullable().describe('High workaround: the 48 h limit that 100% of workarounds must meet'),
    hardLimitExceeded: z.boolean(),
  }),
});

export const SlaTargetResumed = defineEvent({
  type: 'servicecenter.sla.target-resumed.v1',
  topic: Topics.sla,
  description:
    'A completed target runs again (the customer rejected the proposed solution, or the request was reopened): its earlier completion no longer counts.',
  schema: TargetFacts.extend({ resumedAt: z.iso.datetime({ offset: true }) }),
});

export const SlaAgreementSaved = defineEvent({
  type: 'servicecenter.sla.agreement-saved.v1',
  topic: Topics.sla,
  description:
    "An admin saved a version of an SLA agreement (a customer's, or the generic one for customers without their own). Carries the compliance goals the customer agreed, which judge the High-workaround rule in compliance reports of that customer (the generic agreement's for reports across customers). Key: the agreement id.",
  schema: z.object({
    agreementId: z.string(),
    version: z.number().int(),
    customerId: z.string().nullable().describe('null: the generic agreement'),
    workaroundGoalPercent: z
      .number()
      .describe(
        'Share of High incidents whose workaround must come within the workaround target (24 h); 90 by default',
      ),
    hardLimitGoalPercent: z
      .number()
      .describe('Share of High incidents whose workaround must come within the hard limit (48 h); 100 by default'),
    savedAt: z.iso.datetime({ offset: true }),
  }),
});

export const SLA_EVENTS = [
  SlaWarningReached,
  SlaBreached,
  SlaTargetCompleted,
  SlaTargetResumed,
  SlaAgreementSaved,
] as const;
