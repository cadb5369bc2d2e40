import { badInput } from '@servicecenter/platform-errors';
import { requireCaller } from '@servicecenter/platform-graphql';
import type { RequestsContext } from '../context';
import { canReadPerson, canReadTeams } from '../directory';
import { canRead, seesInternalNotes, type Actor } from '../domain/authorisation';
import { customerHistory, type HistoryEntry, type ProductChange, type Reply } from '../domain/conversation';
import { allowedActions } from '../domain/lifecycle';
import type { RequestOrder } from '../domain/ports';
import type { Evidence, Request } from '../domain/request';
import { findRequests, requestQueue, type RequestFilterArgs } from '../domain/use-cases/queries';
import type { RequestUseCases } from '../domain/use-cases';
import { standardTexts } from '../domain/standard-texts';
import { COMPLETION_REASONS } from '../domain/request';
import { surveyCategory, surveyOpen, type SurveyAnswer, type TimeBooking } from '../domain/bookings';
import type {
  MutationAnswerProductDevelopmentQuestionArgs,
  MutationAskProductDevelopmentArgs,
  MutationBookTimeArgs,
  MutationImportRequestsArgs,
  MutationRegisterRequestArgs,
  MutationTreatAsNewRequestArgs,
} from '../generated/graphql';

/** People and teams through the directory's own read rules (customers see their own people, no teams). */
const person = async (ctx: RequestsContext, id: string | null) => {
  if (!id || id.startsWith('system:')) return null;
  const found = await ctx.directory.loaders.personById.load(id);
  return found && canReadPerson(ctx.caller, found) ? found : null;
};

const actor = async (ctx: RequestsContext) => {
  requireCaller(ctx);
  return ctx.actor();
};

/**
 * A request the caller may see, or null: other organisations' requests do not exist for them.
 * The caller's directory facts are read beside the request, not after it (one round trip).
 */
const visible = async (ctx: RequestsContext, loading: Promise<Request | null | undefined>) => {
  const [viewer, request] = await Promise.all([ctx.actor(), loading]);
  return request && canRead(viewer, request) ? request : null;
};

type ChangeName = Exclude<
  keyof RequestUseCases,
  | 'treatAsNewRequest'
  | 'exportCustomerData'
  | 'registerRequest'
  | 'bookTime'
  | 'importRequests'
  | 'askProductDevelopment'
  | 'answerProductDevelopmentQuestion'
>;
type ChangeInput<N extends ChangeName> = Parameters<RequestUseCases[N]>[1];
const change =
  <N extends ChangeName>(name: N) =>
  async (_: unknown, args: { input: ChangeInput<N> }, ctx: RequestsContext) => {
    // why: TypeScript cannot relate useCases[name]'s parameter to N's input when N is generic.
    const run = ctx.useCases[name] as (actor: Actor, input: ChangeInput<N>, correlationId: string) => Promise<Request>;
    return { request: await run(await actor(ctx), args.input, ctx.correlationId) };
  };

/** Thin: check who asks, call the domain, hand back domain objects. */
export const requestResolvers = {
  Query: {
    request: async (_: unknown, args: { id?: string | null; number?: string | null }, ctx: RequestsContext) => {
      requireCaller(ctx);
      if (!args.id === !args.number) throw badInput('id', 'Give exactly one of id or number');
      return visible(
        ctx,
        args.id ? ctx.loaders.requestById.load(args.id) : ctx.reader.findByNumber(args.number as string),
      );
    },
    requests: async (
      _: unknown,
      args: {
        filter?: RequestFilterArgs | null;
        orderBy?: RequestOrder | null;
        first?: number | null;
        after?: string | null;
      },
      ctx: RequestsContext,
    ) => findRequests(ctx.reader, await actor(ctx), args),
    requestQueue: async (
      _: unknown,
      args: { team?: string | null; assignee?: string | null; first?: number | null; after?: string | null },
      ctx: RequestsContext,
    ) => requestQueue(ctx.reader, await actor(ctx), args),
    change: async (_: unknown, args: { ref: string }, ctx: RequestsContext) => {
      await actor(ctx);
      return ctx.loaders.changeByRef.load(args.ref);
    },
    exportCustomerData: async (_: unknown, args: { customerId: string }, ctx: RequestsContext) =>
      ctx.useCases.exportCustomerData(await actor(ctx), args.customerId),
    closingTexts: async (_: unknown, __: unknown, ctx: RequestsContext) => {
      requireCaller(ctx);
      const texts = standardTexts();
      return COMPLETION_REASONS.map((reason) => ({
        reason,
        en: texts.EN[`CLOSED_${reason}`],
        nl: texts.NL[`CLOSED_${reason}`],
      }));
    },
  },
  Mutation: {
    registerRequest: async (_: unknown, args: MutationRegisterRequestArgs, ctx: RequestsContext) => {
      const request = await ctx.useCases.registerRequest(await actor(ctx), args.input, ctx.correlationId);
      return {
        request,
        missingInformation: request.status === 'WAITING_FOR_CUSTOMER' ? request.missingInformation : [],
      };
    },
    updateRequest: change('updateRequest'),
    requestInformation: change('requestInformation'),
    assignRequest: change('assignRequest'),
    prioritiseRequest: change('prioritiseRequest'),
    sendInHandlingNotice: change('sendInHandlingNotice'),
    acceptRequest: change('acceptRequest'),
    startHandling: change('startHandling'),
    handOverRequest: change('handOverRequest'),
    linkChange: change('linkChange'),
    proposeSolution: change('proposeSolution'),
    executeMutation: change('executeMutation'),
    respondToSolution: change('respondToSolution'),
    closeRequest: change('closeRequest'),
    reopenRequest: change('reopenRequest'),
    addReply: change('addReply'),
    answerSurvey: change('answerSurvey'),
    bookTime: async (_: unknown, args: MutationBookTimeArgs, ctx: RequestsContext) =>
      ctx.useCases.bookTime(await actor(ctx), args.input, ctx.correlationId),
    importRequests: async (_: unknown, args: MutationImportRequestsArgs, ctx: RequestsContext) => {
      const { imported, skipped, continued } = await ctx.useCases.importRequests(
        await actor(ctx),
        args.input,
        ctx.correlationId,
      );
      return {
        imported,
        continued,
        skipped: await Promise.all(
          skipped.map(async (s) => ({
            importKey: s.importKey,
            request: await ctx.loaders.requestById.load(s.requestId),
            continuedAs: s.continuedRequestId ? await ctx.loaders.requestById.load(s.continuedRequestId) : null,
          })),
        ),
      };
    },
    askProductDevelopment: async (_: unknown, args: MutationAskProductDevelopmentArgs, ctx: RequestsContext) =>
      ctx.useCases.askProductDevelopment(await actor(ctx), args.input, ctx.correlationId),
    answerProductDevelopmentQuestion: async (
      _: unknown,
      args: MutationAnswerProductDevelopmentQuestionArgs,
      ctx: RequestsContext,
    ) => ctx.useCases.answerProductDevelopmentQuestion(await actor(ctx), args.input, ctx.correlationId),
    treatAsNewRequest: async (_: unknown, args: MutationTreatAsNewRequestArgs, ctx: RequestsContext) => {
      const { closed, created } = await ctx.useCases.treatAsNewRequest(await actor(ctx), args.input, ctx.correlationId);
      return { closedRequest: closed, request: created };
    },
  },
  Request: {
    __resolveReference: async (ref: { id: string }, ctx: RequestsContext) =>
      visible(ctx, ctx.loaders.requestById.load(ref.id)),
    allowedActions: (r: Request) => [...allowedActions(r.type, r.status)],
    customer: (r: Request, _: unknown, ctx: RequestsContext) => ctx.directory.loaders.customerById.load(r.customerId),
    product: (r: Request, _: unknown, ctx: RequestsContext) =>
      r.productId ? ctx.directory.loaders.productById.load(r.productId) : null,
    teamId: (r: Request, _: unknown, ctx: RequestsContext) => (canReadTeams(ctx.caller) ? r.teamId : null),
    team: (r: Request, _: unknown, ctx: RequestsContext) =>
      r.teamId && canReadTeams(ctx.caller) ? ctx.directory.loaders.teamById.load(r.teamId) : null,
    requester: (r: Request, _: unknown, ctx: RequestsContext) => person(ctx, r.requesterId),
    assignee: (r: Request, _: unknown, ctx: RequestsContext) => person(ctx, r.assigneeId),
    change: (r: Request, _: unknown, ctx: RequestsContext) =>
      r.changeRef ? ctx.loaders.changeByRef.load(r.changeRef) : null,
    solutionArticle: (r: Request, _: unknown, ctx: RequestsContext) =>
      r.solutionArticleId ? ctx.knowledge.loaders.articleById.load(r.solutionArticleId) : null,
    followUpOf: async (r: Request, _: unknown, ctx: RequestsContext) =>
      r.followUpOfId ? visible(ctx, ctx.loaders.requestById.load(r.followUpOfId)) : null,
    replies: (r: Request, _: unknown, ctx: RequestsContext) => ctx.loaders.repliesByRequest.load(r.id),
    timeBookings: (r: Request, _: unknown, ctx: RequestsContext) => ctx.loaders.bookingsByRequest.load(r.id),
    bookedHours: async (r: Request, _: unknown, ctx: RequestsContext) =>
      (await ctx.loaders.bookingsByRequest.load(r.id)).reduce((sum, b) => sum + b.hours, 0),
    survey: (r: Request, _: unknown, ctx: RequestsContext) => ctx.loaders.surveyByRequest.load(r.id),
    surveyOpen: async (r: Request, _: unknown, ctx: RequestsContext) =>
      surveyOpen(r, (await ctx.loaders.surveyByRequest.load(r.id)) !== null),
    history: async (r: Request, _: unknown, ctx: RequestsContext) => {
      const entries = await ctx.loaders.historyByRequest.load(r.id);
      return seesInternalNotes(ctx.caller) ? entries : customerHistory(entries);
    },
  },
  TimeBooking: {
    bookedBy: (b: TimeBooking, _: unknown, ctx: RequestsContext) => person(ctx, b.bookedBy),
  },
  SurveyAnswer: {
    category: (a: SurveyAnswer) => surveyCategory(a.score),
  },
  Reply: {
    author: (x: Reply, _: unknown, ctx: RequestsContext) => person(ctx, x.authorId),
  },
  RequestHistoryEntry: {
    details: (h: HistoryEntry) => JSON.stringify(h.details ?? {}),
    actor: (h: HistoryEntry, _: unknown, ctx: RequestsContext) => person(ctx, h.actorId),
  },
  Evidence: {
    addedBy: (e: Evidence, _: unknown, ctx: RequestsContext) => person(ctx, e.addedBy),
    addedById: (e: Evidence) => e.addedBy,
  },
  CustomerDataExport: {
    // The export was allowed for this customer, so the caller may read it.
    customer: (x: { customerId: string }, _: unknown, ctx: RequestsContext) =>
      ctx.directory.loaders.customerById.load(x.customerId),
  },
  Change: {
    __resolveReference: (ref: { ref: string }, ctx: RequestsContext) => ctx.loaders.changeByRef.load(ref.ref),
    requests: async (c: ProductChange, _: unknown, ctx: RequestsContext) => {
      const links = await ctx.loaders.requestsOfChange.load(c.ref);
      const requests = await ctx.loaders.requestById.loadMany(links.map((l) => l.requestId));
      const viewer = await ctx.actor();
      return requests.filter((r): r is Request => r !== null && !(r instanceof Error) && canRead(viewer, r));
    },
    customerCount: async (c: ProductChange, _: unknown, ctx: RequestsContext) =>
      new Set((await ctx.loaders.requestsOfChange.load(c.ref)).map((l) => l.customerId)).size,
    requestCount: async (c: ProductChange, _: unknown, ctx: RequestsContext) =>
      (await ctx.loaders.requestsOfChange.load(c.ref)).length,
  },
};
