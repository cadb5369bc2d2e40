import { DateScalar, DateTimeScalar, JSONObjectScalar } from '@servicecenter/platform-graphql';
import { statusResolver } from '@servicecenter/platform-service';
import { directoryResolvers } from '../directory';
import type { Resolvers } from '../generated/graphql';
import { knowledgeResolvers } from '../knowledge';
import { requestResolvers } from './requests.resolvers';

/** Each area's resolvers; Query and Mutation are shared, every other type belongs to one area. */
export const resolvers: Resolvers = {
  ...requestResolvers,
  ...directoryResolvers,
  ...knowledgeResolvers,
  DateTime: DateTimeScalar,
  Date: DateScalar,
  JSONObject: JSONObjectScalar,
  Query: {
    requestsStatus: statusResolver,
    ...requestResolvers.Query,
    ...directoryResolvers.Query,
    ...knowledgeResolvers.Query,
  },
  Mutation: { ...requestResolvers.Mutation, ...directoryResolvers.Mutation, ...knowledgeResolvers.Mutation },
};
