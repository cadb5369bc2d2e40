import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateTimeScalar } from '@servicecenter/platform-graphql';
import { statusResolver } from '@servicecenter/platform-service';
import type { ReleaseTestingContext } from '../context';
import { releaseResolvers } from './releases';
import { testingResolvers } from './testing';

/** Thin: check who asks, call the domain, hand back domain objects. */
export const resolvers: GraphQLResolverMap<ReleaseTestingContext> = {
  DateTime: DateTimeScalar as never,
  Query: { releaseTestingStatus: statusResolver, ...releaseResolvers.Query, ...testingResolvers.Query },
  Mutation: { ...releaseResolvers.Mutation, ...testingResolvers.Mutation },
  Product: releaseResolvers.Product as never,
  Release: releaseResolvers.Release as never,
  ReleaseAdvice: releaseResolvers.ReleaseAdvice as never,
  ReleaseDecision: releaseResolvers.ReleaseDecision as never,
  Request: testingResolvers.Request as never,
  TestPlan: testingResolvers.TestPlan as never,
  TestRun: testingResolvers.TestRun as never,
  TestCaseResult: testingResolvers.TestCaseResult as never,
  Defect: testingResolvers.Defect as never,
};
