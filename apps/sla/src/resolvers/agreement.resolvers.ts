import { z } from 'zod';
import { SlaAgreementSaved } from '@servicecenter/contracts';
import { event } from '@servicecenter/platform-events';
import {
  businessCalendarDefinitionSchema,
  ISO_WEEKDAYS,
  type BusinessCalendarDefinition,
  type BusinessCalendarDefinitionInput,
  type WorkingInterval,
} from '@servicecenter/platform-calendar';
import { badInput, conflict, DomainError, ErrorCode, forbidden, validate } from '@servicecenter/platform-errors';
import { customerRef, personRef, requireCaller, requireRole } from '@servicecenter/platform-graphql';
import type { SlaContext } from '../context';
import {
  GENERIC_AGREEMENT,
  rebaseOnAgreement,
  targetOverrideSchema,
  thresholdsSchema,
  complianceGoalsSchema,
  type TargetOverride,
} from '../domain/clocks';
import {
  AgreementRepository,
  GENERIC_ID,
  type StoredAgreement,
  type StoredCalendar,
} from '../persistence/agreement.repository';
import { revive, SlaStateRepository } from '../persistence/sla-state.repository';
import { RequestSlaRepository } from '../persistence/request-sla.repository';
import { CustomerRefRepository } from '../persistence/customer-ref.repository';
import { clockRows } from '../events/request-events.consumer';
import { isServiceCenter, mayReadCustomer } from './views';
import type { MutationSaveSlaAgreementArgs } from '../generated/graphql';

/** An unknown customer may be one the directory created moments ago (docs/architecture.md, "Directory events and reference checks"). */
const NOT_YET_KNOWN = 'one created moments ago is known here once the directory announced it; try again shortly';

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a slug: lower-case letters, digits and dashes, at most 63');
const name = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');

const calendarInputSchema = z.object({
  id: slug,
  name,
  timeZone: z.string().nullish(),
  workingHours: z
    .array(
      z.object({
        weekday: z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)'),
        start: z.string(),
        end: z.string(),
      }),
    )
    .nullish(),
  holidayCountry: z.string().nullish(),
  holidayRegion: z.string().nullish(),
  extraClosedDays: z.array(z.string()).nullish(),
});

const agreementInputSchema = z.object({
  id: slug,
  name,
  customerId: z.string().min(1).nullish(),
  calendarId: z.string().min(1).nullish(),
  targets: z.array(targetOverrideSchema).max(200, 'at most 200 rules'),
  thresholds: thresholdsSchema.nullish(),
  workaroundGoalPercent: complianceGoalsSchema.shape.workaroundPercent,
  hardLimitGoalPercent: complianceGoalsSchema.shape.hardLimitPercent,
  recalculateRunningClocks: z.boolean().nullish(),
});

interface CalendarInput {
  id: string;
  name: string;
  timeZone?: string | null;
  workingHours?: { weekday: number; start: string; end: string }[] | null;
  holidayCountry?: string | null;
  holidayRegion?: string | null;
  extraClosedDays?: string[] | null;
}

/**
 * The GraphQL list of intervals as the calendar library's definition, validated by its zod
 * schema; a problem names the field of the INPUT (input.workingHours.<i>.start), not the
 * library's weekday map.
 */
export function calendarDefinition(input: CalendarInput): BusinessCalendarDefinition {
  const definition: BusinessCalendarDefinitionInput = {};
  if (input.timeZone != null) definition.timeZone = input.timeZone;
  if (input.holidayCountry != null) definition.holidayCountry = input.holidayCountry;
  if (input.holidayRegion != null) definition.holidayRegion = input.holidayRegion;
  if (input.extraClosedDays != null) definition.extraClosedDays = input.extraClosedDays;
  const origin = new Map<string, number>(); // "<weekday>.<index in day>" → index in the input list
  if (input.workingHours != null) {
    const week: Partial<Record<(typeof ISO_WEEKDAYS)[number], WorkingInterval[]>> = {};
    input.workingHours.forEach((interval, i) => {
      const day = String(interval.weekday) as (typeof ISO_WEEKDAYS)[number];
      const list = (week[day] ??= []);
      origin.set(`${day}.${list.length}`, i);
      list.push({ start: interval.start, end: interval.end });
    });
    definition.workingHours = week;
  }
  try {
    return validate(businessCalendarDefinitionSchema, definition, 'input');
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const field = String(error.details['field'] ?? '');
    const match = /^input\.workingHours\.(\d)\.(\d+)(\..*)?$/.exec(field);
    const index = match ? origin.get(`${match[1]}.${match[2]}`) : undefined;
    if (index === undefined) throw error;
    const mapped = `input.workingHours.${index}${match?.[3] ?? ''}`;
    throw new DomainError(ErrorCode.BAD_USER_INPUT, error.message.replace(field, mapped), {
      ...error.details,
      field: mapped,
    });
  }
}

const definitionView = (raw: BusinessCalendarDefinitionInput) => {
  const d = businessCalendarDefinitionSchema.parse(raw);
  return {
    timeZone: d.timeZone,
    holidayCountry: d.holidayCountry,
    holidayRegion: d.holidayRegion ?? null,
    extraClosedDays: d.extraClosedDays,
    workingHours: ISO_WEEKDAYS.flatMap((day) =>
      (d.workingHours[day] ?? []).map((i) => ({ weekday: Number(day), start: i.start, end: i.end })),
    ),
  };
};

export const agreementResolvers = {
  Query: {
    businessCalendars: async (_: unknown, __: unknown, ctx: SlaContext) => {
      if (!isServiceCenter(requireCaller(ctx))) throw forbidden('Business calendars are for the Service Center');
      return new AgreementRepository(ctx.agreements.manager).calendars();
    },
    slaAgreements: async (_: unknown, args: { customerId?: string | null }, ctx: SlaContext) => {
      const caller = requireCaller(ctx);
      if (!mayReadCustomer(caller, args.customerId))
        throw forbidden("A customer may only read their own organisation's agreement (customerId)");
      return new AgreementRepository(ctx.agreements.manager).agreements(
        args.customerId === undefined || args.customerId === null ? {} : { customerId: args.customerId },
      );
    },
    slaAgreement: async (_: unknown, args: { id: string; version?: number | null }, ctx: SlaContext) => {
      const caller = requireCaller(ctx);
      const found = await new AgreementRepository(ctx.agreements.manager).agreement(args.id, args.version);
      if (found && !mayReadCustomer(caller, found.customerId))
        throw forbidden("A customer may only read their own organisation's agreement");
      return found;
    },
  },
  Mutation: {
    saveBusinessCalendar: async (_: unknown, args: { input: CalendarInput }, ctx: SlaContext) => {
      const caller = requireRole(ctx, 'admin');
      const input = validate(calendarInputSchema, args.input, 'input');
      const definition = calendarDefinition(input);
      return ctx.uow.run({ actor: caller.id, correlationId: ctx.correlationId }, async (tx) => ({
        calendar: await new AgreementRepository(tx.manager).saveCalendar(
          { id: input.id, name: input.name, definition },
          caller.id,
          ctx.now(),
        ),
      }));
    },
    saveSlaAgreement: async (_: unknown, args: MutationSaveSlaAgreementArgs, ctx: SlaContext) => {
      const caller = requireRole(ctx, 'admin');
      const input = validate(agreementInputSchema, args.input, 'input');
      const customerId = input.customerId ?? null;
      if (input.id === GENERIC_ID && customerId !== null)
        throw badInput('input.customerId', 'the generic agreement is for every customer: leave customerId out');
      if (input.id !== GENERIC_ID && customerId === null)
        throw badInput('input.customerId', `required: only the '${GENERIC_ID}' agreement has no customer`);
      const now = ctx.now();
      return ctx.uow.run({ actor: caller.id, correlationId: ctx.correlationId }, async (tx) => {
        const repo = new AgreementRepository(tx.manager);
        if (customerId !== null && !(await new CustomerRefRepository(tx.manager).known(customerId)))
          throw badInput('input.customerId', `No customer ${customerId} in the directory (${NOT_YET_KNOWN})`, {
            unknown: [customerId],
          });
        const existing = await repo.agreement(input.id);
        if (existing && existing.customerId !== customerId)
          throw badInput(
            'input.customerId',
            `agreement ${input.id} belongs to ${existing.customerId ?? 'every customer (generic)'}`,
          );
        const others = (await repo.idsOf(customerId)).filter((id) => id !== input.id);
        if (others.length > 0)
          throw conflict(`Customer ${customerId} already has agreement ${others[0]}: save a new version of it`, {
            field: 'input.id',
            agreementId: others[0],
          });
        // Unspecified targets fall back to the generic agreement in force now (versions of the generic one build on the built-in one).
        const baseVersion =
          customerId === null
            ? GENERIC_AGREEMENT.version
            : ((await repo.currentRef(null, now))?.version ?? GENERIC_AGREEMENT.version);
        let calendar: BusinessCalendarDefinitionInput;
        let calendarVersion: number | null = null;
        if (input.calendarId) {
          const found: StoredCalendar | null = await repo.calendar(input.calendarId, true);
          if (!found) throw badInput('input.calendarId', `unknown business calendar ${input.calendarId}`);
          calendar = found.definition;
          calendarVersion = found.version;
        } else {
          calendar = (await ctx.agreements.byVersion(GENERIC_ID, baseVersion, tx.manager)).agreement.calendar;
        }
        const stored = await repo.insertVersion({
          id: input.id,
          customerId,
          name: input.name,
          calendarId: input.calendarId ?? null,
          calendarVersion,
          calendar,
          targets: input.targets.map(compact),
          thresholds: input.thresholds ? [...input.thresholds].sort((a, b) => a - b) : null,
          complianceGoals:
            input.workaroundGoalPercent == null && input.hardLimitGoalPercent == null
              ? null
              : {
                  ...(input.workaroundGoalPercent == null ? {} : { workaroundPercent: input.workaroundGoalPercent }),
                  ...(input.hardLimitGoalPercent == null ? {} : { hardLimitPercent: input.hardLimitGoalPercent }),
                },
          baseVersion,
          createdAt: now,
          createdBy: caller.id,
        });
        // Reporting judges compliance by the goals the customer agreed: announced with the save.
        const { complianceGoals } = (await ctx.agreements.build(stored, tx.manager)).agreement;
        tx.publish(
          event(SlaAgreementSaved, stored.id, {
            agreementId: stored.id,
            version: stored.version,
            customerId: stored.customerId,
            workaroundGoalPercent: complianceGoals.workaroundPercent,
            hardLimitGoalPercent: complianceGoals.hardLimitPercent,
            savedAt: now.toISOString(),
          }),
        );
        let recalculatedRequests = 0;
        if (input.recalculateRunningClocks) {
          // Built directly (not through the cache): the version is not committed yet.
          const { agreement, calendar: businessCalendar } = await ctx.agreements.build(stored, tx.manager);
          const states = new SlaStateRepository(tx.manager);
          const timeline = new RequestSlaRepository(tx.manager);
          const rows = await repo.lockRunningStates(customerId === null ? { genericId: GENERIC_ID } : { customerId });
          const moved = rows
            .map((row) => revive(row.state))
            .flatMap((before) => {
              const after = rebaseOnAgreement(before, agreement, businessCalendar);
              return after === before ? [] : [after];
            });
          const published = await states.publishedThresholdsOf(moved.map((state) => state.requestId));
          for (const after of moved) {
            await states.saveRecalculated(
              after,
              clockRows(after, now, agreement, businessCalendar, published.get(after.requestId) ?? new Map()),
              now,
            );
            await timeline.appendTimeline({
              requestId: after.requestId,
              at: now,
              kind: 'RECALCULATED',
              note: `Targets recalculated from the start on agreement ${agreement.id} version ${agreement.version}`,
            });
            recalculatedRequests += 1;
          }
        }
        return { agreement: stored, recalculatedRequests };
      });
    },
  },
  BusinessCalendar: {
    definition: (c: StoredCalendar) => definitionView(c.definition),
  },
  SlaAgreement: {
    customer: (a: StoredAgreement) => customerRef(a.customerId),
    createdBy: (a: StoredAgreement) => personRef(a.createdBy),
    createdById: (a: StoredAgreement) => a.createdBy,
    calendar: (a: StoredAgreement) => definitionView(a.calendar),
    thresholds: (a: StoredAgreement) => [...(a.thresholds ?? GENERIC_AGREEMENT.thresholds)],
    // The version's effective goals: its own, else those of the generic version it builds on.
    workaroundGoalPercent: async (a: StoredAgreement, _: unknown, ctx: SlaContext) =>
      (await ctx.agreements.byVersion(a.id, a.version)).agreement.complianceGoals.workaroundPercent,
    hardLimitGoalPercent: async (a: StoredAgreement, _: unknown, ctx: SlaContext) =>
      (await ctx.agreements.byVersion(a.id, a.version)).agreement.complianceGoals.hardLimitPercent,
    targets: (a: StoredAgreement) => a.targets.map((t) => ({ ...t, notApplicable: t.notApplicable === true })),
  },
};

/** The rule without nulls, as stored. */
function compact(rule: TargetOverride): TargetOverride {
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== null && v !== undefined)) as TargetOverride;
}
