import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateScalar, DateTimeScalar, JSONObjectScalar } from '@servicecenter/platform-graphql';
import { statusResolver } from '@servicecenter/platform-service';
import { directoryResolvers } from '../directory';
import { knowledgeResolvers } from '../knowledge';
import type { RequestsContext } from '../context';
import { requestResolvers } from './requests.resolvers';

type Map = Record<string, Record<string, unknown>>;

/** Merges each area's resolvers type by type (Query, Mutation, entities). */
function merge(...maps: Map[]): Map {
  const result: Map = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      // Scalars (class instances) are taken whole; resolver maps are merged field by field.
      result[type] = Object.getPrototypeOf(fields) === Object.prototype ? { ...result[type], ...fields } : fields;
    }
  }
  return result;
}

export const resolvers = merge(
  {
    DateTime: DateTimeScalar as never,
    Date: DateScalar as never,
    JSONObject: JSONObjectScalar as never,
    Query: { requestsStatus: statusResolver },
  },
  requestResolvers as Map,
  directoryResolvers as unknown as Map,
  knowledgeResolvers as unknown as Map,
) as GraphQLResolverMap<RequestsContext>;
