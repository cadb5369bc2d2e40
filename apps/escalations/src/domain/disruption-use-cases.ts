import { z } from 'zod';
import type { Caller } from '@servicecenter/platform-auth';
import {
  DisruptionAnalysisInstructed,
  DisruptionAnalysisStarted,
  DisruptionClosed,
  DisruptionPublished,
  DisruptionResolved,
  DisruptionUpdated,
  DisruptionUpdateOverdue,
} from '@servicecenter/contracts';
import { event, type NewEvent } from '@servicecenter/platform-events';
import { badInput, notFound, validate } from '@servicecenter/platform-errors';
import { RIGHTS } from './authorisation';
import {
  DISRUPTION_SOURCES,
  closeDisruptionNotice,
  closesAt,
  disruptionNumber,
  instructAnalysis,
  linkRequest,
  markUpdateOverdue,
  openDisruptionNotice,
  postDisruptionUpdate,
  publishDisruptionNotice,
  resolveDisruptionNotice,
  startAnalysis,
  type DisruptionNotice,
} from './disruption';
import type { RequestView } from './escalation';
import { notify, type NotifyFacts, type NotifyTransaction } from './notify';
import type {
  InstructDisruptionAnalysisInput,
  LinkRequestToDisruptionInput,
  OpenDisruptionNoticeInput,
  PostDisruptionUpdateInput,
  PublishDisruptionNoticeInput,
  ResolveDisruptionNoticeInput,
  StartDisruptionAnalysisInput,
} from '../generated/graphql';

/** Durable timers of a notice (key: the notice id). */
export const DISRUPTION_UPDATE_DUE = 'escalations.disruption-update-due';
export const DISRUPTION_AUTO_CLOSE = 'escalations.disruption-auto-close';

export interface DisruptionTransaction {
  requests: { findByIds(ids: readonly string[]): Promise<RequestView[]> };
  /** The directory's products and customers as this service knows them from its events. */
  directory: {
    unknownProducts(ids: readonly string[]): Promise<string[]>;
    unknownCustomers(ids: readonly string[]): Promise<string[]>;
  };
  notices: {
    nextSequence(year: number): Promise<number>;
    insert(n: DisruptionNotice): Promise<void>;
    update(before: DisruptionNotice, after: DisruptionNotice): Promise<void>;
    findById(id: string, lock?: boolean): Promise<DisruptionNotice | null>;
    /** The customer organisations the notice concerns (named, or with a request on its product). */
    customersConcerned(n: DisruptionNotice): Promise<string[]>;
  };
  notifications: NotifyTransaction['notifications'];
  timers: {
    schedule(kind: string, key: string, dueAt: Date, payload: Record<string, unknown>): Promise<void>;
    cancel(kind: string, key: string): Promise<void>;
  };
  publish(...events: NewEvent[]): void;
}

export interface DisruptionDeps {
  uow: {
    run<T>(
      meta: { actor?: string; correlationId?: string },
      work: (tx: DisruptionTransaction) => Promise<T>,
    ): Promise<T>;
  };
  now(): Date;
  newId(): string;
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const uuid = z.uuid('must be an id this graph gave out');
const when = z.coerce.date();

const OpenInput = z.object({
  productId: text(100),
  source: z.enum(DISRUPTION_SOURCES),
  title: text(300),
  startedAt: when.nullish(),
  userExperience: text(4000).nullish(),
  affectedCustomerIds: z.array(text(100)).max(500).nullish(),
});
const PublishInput = z.object({
  noticeId: uuid,
  nextUpdateDueAt: when,
  startedAt: when.nullish(),
  userExperience: text(4000).nullish(),
  communityPostUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) address' })
    .max(2000)
    .nullish(),
});
const InstructInput = z.object({ noticeId: uuid, instruction: text(4000) });
const StartAnalysisInput = z.object({ noticeId: uuid, note: text(4000) });
const UpdateInput = z.object({ noticeId: uuid, message: text(8000), nextUpdateDueAt: when });
const LinkInput = z.object({ noticeId: uuid, requestId: uuid });
// Blank cause or solution is answered by the domain (both are required), with the field named.
const ResolveInput = z.object({ noticeId: uuid, cause: z.string().max(8000), solution: z.string().max(8000) });

const meta = (caller: Caller, correlationId: string) => ({ actor: caller.id, correlationId });
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const disruptionFacts = (n: DisruptionNotice, at: Date) => ({
  noticeId: n.id,
  number: n.number,
  productId: n.productId,
  title: n.title,
  status: n.status,
  startedAt: iso(n.startedAt),
  userExperience: n.userExperience,
  affectedCustomerIds: n.affectedCustomerIds,
  nextUpdateDueAt: iso(n.nextUpdateDueAt),
  occurredAt: at.toISOString(),
  version: n.version,
});

/** Notice texts are public: customers and internal roles read the same. */
async function notifyNotice(
  tx: DisruptionTransaction,
  deps: DisruptionDeps,
  kind: Parameters<typeof notify>[2],
  n: DisruptionNotice,
  title: string,
  message: string,
  now: Date,
): Promise<void> {
  const text = { title: `${n.number} ${title}: ${n.title}`, message };
  const facts: NotifyFacts = {
    link: `disruption:${n.id}`,
    // A notice concerns a product and is public news: every informed role reads it.
    subjectCustomerId: null,
    customerIds: await tx.notices.customersConcerned(n),
    internal: text,
    customer: text,
  };
  await notify(tx, deps, kind, facts, now);
}

/** Ids are checked against this service's copy of the directory, which its events keep (eventually) current. */
const LATE = 'one created moments ago is known here once the directory announced it; try again shortly';

/** A notice names products and customers of the directory; an id no directory event announced is refused. */
async function mustBeKnown(tx: DisruptionTransaction, productId: string, customerIds: readonly string[]) {
  if ((await tx.directory.unknownProducts([productId])).length)
    throw badInput('input.productId', `No product ${productId} in the directory (${LATE})`, { unknown: [productId] });
  const unknown = await tx.directory.unknownCustomers(customerIds);
  if (unknown.length)
    throw badInput(
      `input.affectedCustomerIds.${customerIds.indexOf(unknown[0])}`,
      `No customer ${unknown.join(', ')} in the directory (${LATE})`,
      { unknown },
    );
}

async function locked(tx: DisruptionTransaction, id: string): Promise<DisruptionNotice> {
  const notice = await tx.notices.findById(id, true);
  if (!notice) throw notFound('DisruptionNotice', id);
  return notice;
}

export function disruptionUseCases(deps: DisruptionDeps) {
  return {
    async openDisruptionNotice(
      caller: Caller,
      input: OpenDisruptionNoticeInput,
      correlationId: string,
    ): Promise<DisruptionNotice> {
      RIGHTS.mustAct(caller, 'openDisruptionNotice');
      const i = validate(OpenInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        await mustBeKnown(tx, i.productId, i.affectedCustomerIds ?? []);
        const notice = openDisruptionNotice({
          id: deps.newId(),
          number: disruptionNumber(now.getUTCFullYear(), await tx.notices.nextSequence(now.getUTCFullYear())),
          productId: i.productId,
          source: i.source,
          title: i.title,
          startedAt: i.startedAt ?? null,
          userExperience: i.userExperience ?? null,
          affectedCustomerIds: i.affectedCustomerIds ?? [],
          openedBy: caller.id,
          now,
        });
        await tx.notices.insert(notice);
        return notice;
      });
    },

    async publishDisruptionNotice(
      caller: Caller,
      input: PublishDisruptionNoticeInput,
      correlationId: string,
    ): Promise<DisruptionNotice> {
      RIGHTS.mustAct(caller, 'publishDisruptionNotice');
      const i = validate(PublishInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await locked(tx, i.noticeId);
        const after = publishDisruptionNotice(before, {
          linked: await tx.requests.findByIds(before.linkedRequestIds),
          nextUpdateDueAt: i.nextUpdateDueAt,
          startedAt: i.startedAt,
          userExperience: i.userExperience,
          communityPostUrl: i.communityPostUrl,
          by: caller.id,
          now,
        });
        await tx.notices.update(before, after);
        await tx.timers.schedule(DISRUPTION_UPDATE_DUE, after.id, i.nextUpdateDueAt, {
          dueAt: i.nextUpdateDueAt.toISOString(),
        });
        tx.publish(
          event(DisruptionPublished, after.id, {
            ...disruptionFacts(after, now),
            source: after.source,
            publishedBy: caller.id,
            communityPostUrl: after.communityPostUrl,
          }),
        );
        await notifyNotice(
          tx,
          deps,
          'DISRUPTION_PUBLISHED',
          after,
          'disruption',
          `${after.userExperience ?? after.title}. Next update by ${i.nextUpdateDueAt.toISOString()}.${after.communityPostUrl ? ` More: ${after.communityPostUrl}` : ''}`,
          now,
        );
        return after;
      });
    },

    async postDisruptionUpdate(
      caller: Caller,
      input: PostDisruptionUpdateInput,
      correlationId: string,
    ): Promise<DisruptionNotice> {
      RIGHTS.mustAct(caller, 'postDisruptionUpdate');
      const i = validate(UpdateInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await locked(tx, i.noticeId);
        const after = postDisruptionUpdate(before, {
          message: i.message,
          nextUpdateDueAt: i.nextUpdateDueAt,
          by: caller.id,
          now,
        });
        await tx.notices.update(before, after);
        // Replaces the pending due-time timer: the overdue flag answers the new due time only.
        await tx.timers.schedule(DISRUPTION_UPDATE_DUE, after.id, i.nextUpdateDueAt, {
          dueAt: i.nextUpdateDueAt.toISOString(),
        });
        tx.publish(
          event(DisruptionUpdated, after.id, { ...disruptionFacts(after, now), message: i.message, by: caller.id }),
        );
        await notifyNotice(
          tx,
          deps,
          'DISRUPTION_UPDATED',
          after,
          'update',
          `${i.message} Next update by ${i.nextUpdateDueAt.toISOString()}.`,
          now,
        );
        return after;
      });
    },

    /** Row 121: the team lead instructs product development to analyse; the product owner is informed. */
    async instructDisruptionAnalysis(
      caller: Caller,
      input: InstructDisruptionAnalysisInput,
      correlationId: string,
    ): Promise<DisruptionNotice> {
      RIGHTS.mustAct(caller, 'instructDisruptionAnalysis');
      const i = validate(InstructInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await locked(tx, i.noticeId);
        const after = instructAnalysis(before, { instruction: i.instruction, by: caller.id, now });
        await tx.notices.update(before, after);
        tx.publish(
          event(DisruptionAnalysisInstructed, after.id, {
            ...disruptionFacts(after, now),
            instruction: after.analysisInstruction as string,
            instructedBy: caller.id,
          }),
        );
        await notify(
          tx,
          deps,
          'DISRUPTION_ANALYSIS_INSTRUCTED',
          {
            link: `disruption:${after.id}`,
            subjectCustomerId: null,
            internal: { title: `${after.number} analyse the disruption: ${after.title}`, message: i.instruction },
          },
          now,
        );
        return after;
      });
    },

    /** Row 122: product development starts the analysis; the support consultants and team lead are informed. */
    async startDisruptionAnalysis(
      caller: Caller,
      input: StartDisruptionAnalysisInput,
      correlationId: string,
    ): Promise<DisruptionNotice> {
      RIGHTS.mustAct(caller, 'startDisruptionAnalysis');
      const i = validate(StartAnalysisInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await locked(tx, i.noticeId);
        const after = startAnalysis(before, { by: caller.id, now });
        await tx.notices.update(before, after);
        tx.publish(
          event(DisruptionAnalysisStarted, after.id, {
            ...disruptionFacts(after, now),
            note: i.note,
            startedBy: caller.id,
          }),
        );
        await notify(
          tx,
          deps,
          'DISRUPTION_ANALYSIS_STARTED',
          {
            link: `disruption:${after.id}`,
            subjectCustomerId: null,
            internal: { title: `${after.number} analysis started: ${after.title}`, message: i.note },
          },
          now,
        );
        return after;
      });
    },

    async linkRequestToDisruption(
      caller: Caller,
      input: LinkRequestToDisruptionInput,
      correlationId: string,
    ): Promise<DisruptionNotice> {
      RIGHTS.mustAct(caller, 'linkRequestToDisruption');
      const i = validate(LinkInput, input);
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const [request] = await tx.requests.findByIds([i.requestId]);
        if (!request)
          throw badInput('input.requestId', `Request ${i.requestId} is not known to the Service Center`, {
            unknown: [i.requestId],
          });
        const before = await locked(tx, i.noticeId);
        const after = linkRequest(before, request);
        if (after !== before) await tx.notices.update(before, after);
        return after;
      });
    },

    async resolveDisruptionNotice(
      caller: Caller,
      input: ResolveDisruptionNoticeInput,
      correlationId: string,
    ): Promise<DisruptionNotice> {
      RIGHTS.mustAct(caller, 'resolveDisruptionNotice');
      const i = validate(ResolveInput, input);
      const now = deps.now();
      return deps.uow.run(meta(caller, correlationId), async (tx) => {
        const before = await locked(tx, i.noticeId);
        const after = resolveDisruptionNotice(before, { cause: i.cause, solution: i.solution, by: caller.id, now });
        await tx.notices.update(before, after);
        await tx.timers.cancel(DISRUPTION_UPDATE_DUE, after.id);
        await tx.timers.schedule(DISRUPTION_AUTO_CLOSE, after.id, closesAt(after) as Date, {});
        tx.publish(
          event(DisruptionResolved, after.id, {
            noticeId: after.id,
            number: after.number,
            productId: after.productId,
            cause: after.cause as string,
            solution: after.solution as string,
            linkedRequestIds: after.linkedRequestIds,
            resolvedAt: now.toISOString(),
            resolvedBy: caller.id,
          }),
        );
        await notifyNotice(
          tx,
          deps,
          'DISRUPTION_RESOLVED',
          after,
          'solved',
          `Cause: ${after.cause}. Solution: ${after.solution}. The notice closes 4 hours from now.`,
          now,
        );
        return after;
      });
    },

    /** Timer `escalations.disruption-update-due`: flags the notice when the promised update did not come. */
    async updateDue(tx: DisruptionTransaction, noticeId: string, payload: { dueAt?: string }): Promise<void> {
      const before = await tx.notices.findById(noticeId, true);
      if (!before || !payload.dueAt) return;
      const dueAt = new Date(payload.dueAt);
      const after = markUpdateOverdue(before, dueAt);
      if (!after) return;
      await tx.notices.update(before, after);
      tx.publish(
        event(DisruptionUpdateOverdue, after.id, { ...disruptionFacts(after, deps.now()), dueAt: dueAt.toISOString() }),
      );
    },

    /** Timer `escalations.disruption-auto-close`: closes a resolved notice 4 hours after resolution. */
    async autoClose(tx: DisruptionTransaction, noticeId: string): Promise<void> {
      const before = await tx.notices.findById(noticeId, true);
      if (!before || before.status !== 'RESOLVED') return;
      const now = deps.now();
      const after = closeDisruptionNotice(before, now);
      await tx.notices.update(before, after);
      tx.publish(
        event(DisruptionClosed, after.id, {
          ...disruptionFacts(after, now),
          resolvedAt: (before.resolvedAt as Date).toISOString(),
        }),
      );
      await notifyNotice(
        tx,
        deps,
        'DISRUPTION_CLOSED',
        after,
        'closed',
        `The disruption is solved and the notice is closed. Cause: ${after.cause}. Solution: ${after.solution}.`,
        now,
      );
    },
  };
}

export type DisruptionUseCases = ReturnType<typeof disruptionUseCases>;
