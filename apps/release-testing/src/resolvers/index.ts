import { DateTimeScalar } from '@servicecenter/platform-graphql';
import { statusResolver } from '@servicecenter/platform-service';
import type { Resolvers } from '../generated/graphql';
import { releaseResolvers } from './releases';
import { testingResolvers } from './testing';

/** Thin: check who asks, call the domain, hand back domain objects. */
export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: { releaseTestingStatus: statusResolver, ...releaseResolvers.Query, ...testingResolvers.Query },
  Mutation: { ...releaseResolvers.Mutation, ...testingResolvers.Mutation },
  Product: releaseResolvers.Product,
  Release: releaseResolvers.Release,
  ReleaseAdvice: releaseResolvers.ReleaseAdvice,
  ReleaseDecision: releaseResolvers.ReleaseDecision,
  Request: testingResolvers.Request,
  TestPlan: testingResolvers.TestPlan,
  TestRun: testingResolvers.TestRun,
  TestCaseResult: testingResolvers.TestCaseResult,
  Defect: testingResolvers.Defect,
};
