import type { GraphQLFieldResolver } from 'graphql';
import { OutcomeUnknownError, classifyInfrastructureFailure } from '@servicecenter/platform-errors';

type ResolverMap = Record<string, unknown>;

/**
 * Wraps every Mutation field resolver: a database connection lost under a mutation (outside a
 * unit of work, which sorts its own failures) may have left its change committed, so the
 * client hears OUTCOME_UNKNOWN, never "nothing was changed".
 */
export function guardMutations<R extends ResolverMap>(resolvers: R): R {
  const mutation = resolvers['Mutation'] as Record<string, GraphQLFieldResolver<unknown, unknown>> | undefined;
  if (!mutation) return resolvers;
  const guarded = Object.fromEntries(
    Object.entries(mutation).map(([field, resolve]) => [
      field,
      typeof resolve !== 'function'
        ? resolve
        : async (...args: Parameters<GraphQLFieldResolver<unknown, unknown>>) => {
            try {
              return await resolve(...args);
            } catch (error) {
              if (classifyInfrastructureFailure(error) !== 'connection-lost') throw error;
              throw new OutcomeUnknownError(`The database connection was lost while ${field} was running`, error);
            }
          },
    ]),
  );
  return { ...resolvers, Mutation: guarded };
}
