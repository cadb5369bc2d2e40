import {
  decodeCursor,
  pageSize,
  personRef,
  personRefs,
  referenced,
  requireCaller,
  toConnection,
} from '@servicecenter/platform-graphql';
import type { ReleaseTestingContext } from '../context';
import { countResults } from '../domain/advice';
import type { CaseResult, Defect, TestOutcome, TestPlan, TestRun } from '../domain/model';
import type { PlanCursor } from '../persistence/test.repository';
import { emptyConnection, isId, pageOfList, type PageArgs } from './paging';
import { internal } from './releases';
import type {
  MutationAddTestCaseArgs,
  MutationAssignTestersArgs,
  MutationCompleteTestRunArgs,
  MutationCreateTestPlanArgs,
  MutationLinkDefectArgs,
  MutationRecordTestResultArgs,
  MutationReportDefectArgs,
  MutationResolveDefectArgs,
  MutationStartTestRunArgs,
} from '../generated/graphql';

export const testingResolvers = {
  Query: {
    testPlan: async (_: unknown, args: { id: string }, ctx: ReleaseTestingContext) =>
      internal(ctx) && isId(args.id) ? ctx.loaders.planById.load(args.id) : null,
    testPlans: async (_: unknown, args: { productId?: string | null } & PageArgs, ctx: ReleaseTestingContext) => {
      if (!internal(ctx)) return emptyConnection(args);
      const first = pageSize(args.first);
      const after = decodeCursor<PlanCursor>(args.after);
      const { rows, total } = await ctx.repos.plans.list(args.productId, first + 1, after);
      return toConnection(rows, first, (p: TestPlan) => [p.name, p.id], !!after, total);
    },
    testRun: async (_: unknown, args: { id: string }, ctx: ReleaseTestingContext) =>
      internal(ctx) && isId(args.id) ? ctx.loaders.runById.load(args.id) : null,
    defect: async (_: unknown, args: { id: string }, ctx: ReleaseTestingContext) =>
      internal(ctx) && isId(args.id) ? ctx.loaders.defectById.load(args.id) : null,
  },
  Mutation: {
    createTestPlan: async (_: unknown, args: MutationCreateTestPlanArgs, ctx: ReleaseTestingContext) => ({
      testPlan: await ctx.releaseUseCases.createTestPlan(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    addTestCase: async (_: unknown, args: MutationAddTestCaseArgs, ctx: ReleaseTestingContext) => ({
      testPlan: await ctx.releaseUseCases.addTestCase(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    startTestRun: async (_: unknown, args: MutationStartTestRunArgs, ctx: ReleaseTestingContext) => ({
      testRun: await ctx.runUseCases.startTestRun(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    assignTesters: async (_: unknown, args: MutationAssignTestersArgs, ctx: ReleaseTestingContext) => ({
      testRun: await ctx.runUseCases.assignTesters(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    recordTestResult: async (_: unknown, args: MutationRecordTestResultArgs, ctx: ReleaseTestingContext) => {
      const { run, result } = await ctx.runUseCases.recordTestResult(requireCaller(ctx), args.input, ctx.correlationId);
      return { testRun: run, result };
    },
    completeTestRun: async (_: unknown, args: MutationCompleteTestRunArgs, ctx: ReleaseTestingContext) => ({
      testRun: await ctx.runUseCases.completeTestRun(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    reportDefect: async (_: unknown, args: MutationReportDefectArgs, ctx: ReleaseTestingContext) => ({
      defect: await ctx.runUseCases.reportDefect(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    linkDefect: async (_: unknown, args: MutationLinkDefectArgs, ctx: ReleaseTestingContext) => ({
      defect: await ctx.runUseCases.linkDefect(requireCaller(ctx), args.input, ctx.correlationId),
    }),
    resolveDefect: async (_: unknown, args: MutationResolveDefectArgs, ctx: ReleaseTestingContext) => ({
      defect: await ctx.runUseCases.resolveDefect(requireCaller(ctx), args.input, ctx.correlationId),
    }),
  },
  Request: {
    // The requests subgraph decides who sees a request; release defects are internal.
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    releaseDefects: async (request: { id: string }, _: unknown, ctx: ReleaseTestingContext) =>
      internal(ctx) && isId(request.id) ? ctx.loaders.defectsByRequest.load(request.id) : [],
  },
  TestPlan: {
    createdBy: (p: TestPlan) => personRef(p.createdBy),
    createdById: (p: TestPlan) => p.createdBy,
    product: (p: TestPlan) => ({ id: p.productId }),
  },
  TestRun: {
    testers: (r: TestRun) => personRefs(r.testerIds),
    startedBy: (r: TestRun) => personRef(r.startedBy),
    startedById: (r: TestRun) => r.startedBy,
    completedBy: (r: TestRun) => personRef(r.completedBy),
    completedById: (r: TestRun) => r.completedBy,
    release: (r: TestRun, _: unknown, ctx: ReleaseTestingContext) =>
      referenced(ctx.loaders.releaseById.load(r.releaseId), 'release'),
    testPlan: (r: TestRun, _: unknown, ctx: ReleaseTestingContext) =>
      referenced(ctx.loaders.planById.load(r.testPlanId), 'test plan'),
    counts: async (r: TestRun, _: unknown, ctx: ReleaseTestingContext) =>
      countResults(await ctx.loaders.casesByRun.load(r.id)),
    results: async (r: TestRun, args: { outcome?: TestOutcome | null } & PageArgs, ctx: ReleaseTestingContext) =>
      pageOfList(
        (await ctx.loaders.casesByRun.load(r.id)).filter((c) => !args.outcome || c.outcome === args.outcome),
        args,
      ),
  },
  TestCaseResult: {
    recordedBy: (r: CaseResult) => personRef(r.recordedBy),
    recordedById: (r: CaseResult) => r.recordedBy,
    caseId: (c: CaseResult) => c.id,
  },
  Defect: {
    reportedBy: (d: Defect) => personRef(d.reportedBy),
    reportedById: (d: Defect) => d.reportedBy,
    resolvedBy: (d: Defect) => personRef(d.resolvedBy),
    resolvedById: (d: Defect) => d.resolvedBy,
    release: (d: Defect, _: unknown, ctx: ReleaseTestingContext) =>
      referenced(ctx.loaders.releaseById.load(d.releaseId), 'release'),
    testRun: (d: Defect, _: unknown, ctx: ReleaseTestingContext) =>
      referenced(ctx.loaders.runById.load(d.runId), 'test run'),
    // Only the linked requests the graph's visibility rule lets the caller see (docs/visibility.md).
    requests: async (d: Defect, _: unknown, ctx: ReleaseTestingContext) => {
      const visible = await ctx.requestVisible.loadMany(d.requestIds);
      return d.requestIds.filter((_, i) => visible[i] === true).map((id) => ({ __typename: 'Request', id }));
    },
  },
};
