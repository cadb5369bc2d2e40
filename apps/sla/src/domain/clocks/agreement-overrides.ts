import { z } from 'zod';
import type { BusinessCalendarDefinitionInput } from '@servicecenter/platform-calendar';
import {
  TARGET_KINDS,
  type Agreement,
  type ComplianceGoals,
  type Priority,
  type RequestType,
  type Target,
  type TargetBudget,
  type TargetKind,
} from './agreement';

const HOUR_MS = 3_600_000;
export const REQUEST_TYPES: readonly RequestType[] = ['INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE'];
export const PRIORITIES: readonly Priority[] = ['HIGH', 'MEDIUM', 'LOW'];

/**
 * One override rule of a per-customer agreement, as an admin enters it. `requestType` or
 * `priority` left out means "every type" / "every priority". Exactly one of `hours`,
 * `workingDays` (WORKING_TIME only), `calendarDays` (CALENDAR_TIME only) or
 * `notApplicable: true` says what the target becomes. Rules apply in list order (a later
 * rule wins), and targets no rule touches fall back to the generic agreement.
 */
export const targetOverrideSchema = z
  .object({
    requestType: z.enum(REQUEST_TYPES as [RequestType, ...RequestType[]]).nullish(),
    kind: z.enum(TARGET_KINDS as [TargetKind, ...TargetKind[]]),
    priority: z.enum(PRIORITIES as [Priority, ...Priority[]]).nullish(),
    unit: z.enum(['WORKING_TIME', 'CALENDAR_TIME']).nullish(),
    hours: z
      .number()
      .positive('must be more than 0')
      .max(24 * 366, 'must be at most a year')
      .nullish(),
    workingDays: z.number().positive('must be more than 0').max(366, 'must be at most 366').nullish(),
    calendarDays: z
      .number()
      .int('must be whole days')
      .positive('must be more than 0')
      .max(366, 'must be at most 366')
      .nullish(),
    notApplicable: z.boolean().nullish(),
  })
  .superRefine((rule, ctx) => {
    const given = (['hours', 'workingDays', 'calendarDays'] as const).filter((key) => rule[key] != null);
    if (rule.notApplicable) {
      if (given.length > 0)
        ctx.addIssue({ code: 'custom', path: [given[0]], message: 'a notApplicable target has no time' });
      return;
    }
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['hours'],
        message: 'give exactly one of hours, workingDays, calendarDays (or notApplicable: true)',
      });
      return;
    }
    if (!rule.unit)
      ctx.addIssue({
        code: 'custom',
        path: ['unit'],
        message: 'WORKING_TIME or CALENDAR_TIME is required with a time',
      });
    if (rule.workingDays != null && rule.unit === 'CALENDAR_TIME')
      ctx.addIssue({ code: 'custom', path: ['unit'], message: 'workingDays need WORKING_TIME' });
    if (rule.calendarDays != null && rule.unit === 'WORKING_TIME')
      ctx.addIssue({ code: 'custom', path: ['unit'], message: 'calendarDays need CALENDAR_TIME' });
  });

export type TargetOverride = z.infer<typeof targetOverrideSchema>;

export const thresholdsSchema = z
  .array(z.number().gt(0, 'must be more than 0').lt(1, 'must be less than 1 (the breach is always published)'))
  .max(10, 'at most 10 thresholds');

/** A compliance goal in percent: more than 0, at most 100. */
const goalPercent = z
  .number()
  .gt(0, 'must be more than 0')
  .lte(100, 'must be at most 100')
  .refine((n) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9, 'at most one decimal');

export const complianceGoalsSchema = z.object({
  workaroundPercent: goalPercent.nullish(),
  hardLimitPercent: goalPercent.nullish(),
});

/** The target an override rule stands for. hardLimitMs / earliestExpected belong to the generic target and are not carried over. */
export function overrideTarget(rule: TargetOverride): Target {
  if (rule.notApplicable) return { budget: null };
  let budget: TargetBudget;
  if (rule.workingDays != null) budget = { unit: 'WORKING_TIME', workingDays: rule.workingDays };
  else if (rule.calendarDays != null) budget = { unit: 'CALENDAR_TIME', calendarDays: rule.calendarDays };
  else
    budget = {
      unit: rule.unit === 'CALENDAR_TIME' ? 'CALENDAR_TIME' : 'WORKING_TIME',
      ms: Math.round((rule.hours ?? 0) * HOUR_MS),
    } as TargetBudget;
  return { budget };
}

export interface AgreementVersionSpec {
  id: string;
  version: number;
  calendar: BusinessCalendarDefinitionInput;
  overrides: readonly TargetOverride[];
  /** null: the base agreement's thresholds. */
  thresholds: readonly number[] | null;
  /** null (or a goal left out): the base agreement's. */
  complianceGoals?: Partial<ComplianceGoals> | null;
}

/**
 * The effective agreement of one version: the base (the generic agreement of the version it
 * was saved against) with the overrides applied in order, its own calendar snapshot and
 * thresholds. Pure; the base is never changed.
 */
export function effectiveAgreement(base: Agreement, spec: AgreementVersionSpec): Agreement {
  const targets = Object.fromEntries(
    REQUEST_TYPES.map((type) => [
      type,
      Object.fromEntries(TARGET_KINDS.map((kind) => [kind, { ...base.targets[type][kind] }])),
    ]),
  ) as Record<RequestType, Record<TargetKind, Record<Priority, Target>>>;
  for (const rule of spec.overrides) {
    const types = rule.requestType ? [rule.requestType] : REQUEST_TYPES;
    const priorities = rule.priority ? [rule.priority] : PRIORITIES;
    for (const type of types)
      for (const priority of priorities) targets[type][rule.kind][priority] = overrideTarget(rule);
  }
  return {
    id: spec.id,
    version: spec.version,
    calendar: spec.calendar,
    thresholds: spec.thresholds ?? base.thresholds,
    complianceGoals: {
      workaroundPercent: spec.complianceGoals?.workaroundPercent ?? base.complianceGoals.workaroundPercent,
      hardLimitPercent: spec.complianceGoals?.hardLimitPercent ?? base.complianceGoals.hardLimitPercent,
    },
    targets,
  };
}
