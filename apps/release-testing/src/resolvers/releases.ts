import DataLoader from 'dataloader';
import {
  decodeCursor,
  pageSize,
  personRef,
  referenced,
  requireCaller,
  toConnection,
} from '@servicecenter/platform-graphql';
import type { ReleaseTestingContext } from '../context';
import { computeAdvice } from '../domain/advice';
import { isInternal } from '../domain/authorisation';
import { latestRun } from '../domain/lifecycle';
import type { Advice, Defect, DefectStatus, Release, ReleaseDecision, ReleaseStatus } from '../domain/model';
import type { ReleaseCursor, ReleaseFilter } from '../persistence/release.repository';
import { emptyConnection, isId, pageOfList, type PageArgs } from './paging';
import type {
  MutationPlanReleaseArgs,
  MutationRecordReleaseDecisionArgs,
  MutationUpdateReleaseArgs,
} from '../generated/graphql';

/** Internal roles read everything of release testing; for a customer it does not exist. */
export const internal = (ctx: ReleaseTestingContext) => isInternal(requireCaller(ctx));

const cursorOf = (r: Release): ReleaseCursor => [r.plannedProductionDate.toISOString(), r.id];

/** The advice of a release as it stands, from the operation's loaders (batched across releases). */
export async function adviceOf(release: Release, ctx: ReleaseTestingContext): Promise<Advice> {
  const run = latestRun(await ctx.loaders.runsByRelease.load(release.id));
  const defects = await ctx.loaders.defectsByRelease.load(release.id);
  const cases = run ? await ctx.loaders.casesByRun.load(run.id) : [];
  return computeAdvice({
    run: run ? { id: run.id, cases } : null,
    openDefects: defects.filter((d) => d.status === 'OPEN'),
    minCoveragePercent: ctx.minCoveragePercent,
  });
}

/** Product.releases for a batch of products: one loader per argument set. */
function releasePages(ctx: ReleaseTestingContext, args: { status?: ReleaseStatus | null } & PageArgs, first: number) {
  const key = JSON.stringify([args.status ?? null, first, args.after ?? null]);
  let loader = ctx.loaders.releasePages.get(key);
  if (!loader) {
    const after = decodeCursor<ReleaseCursor>(args.after);
    loader = new DataLoader(async (productIds: readonly string[]) => {
      const pages = await ctx.repos.releases.pagesOfProducts(productIds, { status: args.status }, first + 1, after);
      return productIds.map((id) => pages.get(id) ?? { rows: [], total: 0 });
    });
    ctx.loaders.releasePages.set(key, loader);
  }
  return loader;
}

/** Release information is listed for published releases only, so it has a publication time. */
const releaseInformation = (r: Release) => ({
  releaseId: r.id,
  product: { id: r.productId },
  releaseVersion: r.releaseVersion,
  plannedProductionDate: r.plannedProductionDate,
  releaseNotes: r.releaseNotes,
  knownIssues: r.knownIssues,
  publishedAt: r.publishedAt ?? unpublished(r),
});
const unpublished = (r: Release): never => {
  throw new Error(`release ${r.id} is listed as published without a publication time`);
};

export const releaseResolvers = {
  Query: {
    release: async (_: unknown, args: { id: string }, ctx: ReleaseTestingContext) =>
      internal(ctx) && isId(args.id) ? ctx.loaders.releaseById.load(args.id) : null,
    releases: async (_: unknown, args: { filter?: ReleaseFilter | null } & PageArgs, ctx: ReleaseTestingContext) => {
      if (!internal(ctx)) return emptyConnection(args);
      const first = pageSize(args.first);
      const after = decodeCursor<ReleaseCursor>(args.after);
      const { rows, total } = await ctx.repos.releases.list(args.filter ?? {}, first + 1, after);
      return toConnection(rows, first, cursorOf, !!after, total);
    },
    releaseInformation: async (
      _: unknown,
      args: { productId?: string | null } & PageArgs,
      ctx: ReleaseTestingContext,
    ) => {
      requireCaller(ctx);
      const first = pageSize(args.first);
      const after = decodeCursor<ReleaseCursor>(args.after);
      const { rows, total } = await ctx.repos.releases.list(
        { productId: args.productId, publishedOnly: true },
        first + 1,
        after,
      );
      const connection = toConnection(rows, first, cursorOf, !!after, total);
      return {
        ...connection,
        edges: connection.edges.map((e) => ({ cursor: e.cursor, node: releaseInformation(e.node) })),
        nodes: connection.nodes.map(releaseInformation),
      };
    },
  },
  Mutation: {
    planRelease: async (_: unknown, args: MutationPlanReleaseArgs, ctx: ReleaseTestingContext) => ({
      release: await ctx.releaseUseCases.planRelease(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    updateRelease: async (_: unknown, args: MutationUpdateReleaseArgs, ctx: ReleaseTestingContext) => ({
      release: await ctx.releaseUseCases.updateRelease(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    recordReleaseDecision: async (_: unknown, args: MutationRecordReleaseDecisionArgs, ctx: ReleaseTestingContext) =>
      ctx.releaseUseCases.recordReleaseDecision(requireCaller(ctx), args.input, ctx.correlationId),
  },
  Product: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    releases: async (
      product: { id: string },
      args: { status?: ReleaseStatus | null } & PageArgs,
      ctx: ReleaseTestingContext,
    ) => {
      if (!internal(ctx)) return emptyConnection(args);
      const first = pageSize(args.first);
      const { rows, total } = await releasePages(ctx, args, first).load(product.id);
      return toConnection(rows, first, cursorOf, !!args.after, total);
    },
  },
  Release: {
    createdBy: (r: Release) => personRef(r.createdBy),
    createdById: (r: Release) => r.createdBy,
    __resolveReference: async (ref: { id: string }, ctx: ReleaseTestingContext) =>
      internal(ctx) && isId(ref.id) ? ctx.loaders.releaseById.load(ref.id) : null,
    product: (r: Release) => ({ id: r.productId }),
    advice: (r: Release, _: unknown, ctx: ReleaseTestingContext) => adviceOf(r, ctx),
    decision: async (r: Release, _: unknown, ctx: ReleaseTestingContext) =>
      (await ctx.loaders.decisionsByRelease.load(r.id)).at(-1) ?? null,
    decisions: (r: Release, _: unknown, ctx: ReleaseTestingContext) => ctx.loaders.decisionsByRelease.load(r.id),
    testRuns: async (r: Release, args: PageArgs, ctx: ReleaseTestingContext) =>
      pageOfList(await ctx.loaders.runsByRelease.load(r.id), args),
    defects: async (r: Release, args: { status?: DefectStatus | null } & PageArgs, ctx: ReleaseTestingContext) =>
      pageOfList(
        (await ctx.loaders.defectsByRelease.load(r.id)).filter((d: Defect) => !args.status || d.status === args.status),
        args,
      ),
  },
  ReleaseAdvice: {
    testRun: (a: Advice, _: unknown, ctx: ReleaseTestingContext) =>
      a.runId ? ctx.loaders.runById.load(a.runId) : null,
    coverage: (a: Advice) => a.coveragePercent,
    minCoverage: (a: Advice) => a.minCoveragePercent,
  },
  ReleaseDecision: {
    decidedBy: (d: ReleaseDecision) => personRef(d.decidedBy),
    decidedById: (d: ReleaseDecision) => d.decidedBy,
    deviatesFromAdvice: (d: ReleaseDecision) => d.decision !== d.advice.outcome,
    testRun: (d: ReleaseDecision, _: unknown, ctx: ReleaseTestingContext) =>
      referenced(ctx.loaders.runById.load(d.runId), 'test run'),
  },
};
