import type { GraphQLFieldResolver, GraphQLScalarType } from 'graphql';
import type { buildSubgraphSchema } from '@apollo/subgraph';

/** A field resolver whatever its parent and arguments (each service's generated types fix those). */
type FieldResolver<TContext> = GraphQLFieldResolver<never, TContext, never>;

/**
 * The resolver map buildSubgraphSchema takes, for one context type. @apollo/subgraph has the
 * same shape but exports it only from its dist/ folder, which nothing here imports from. Each
 * service builds its map as its generated `Resolvers` type (apps/<service>/src/generated/graphql.ts)
 * and hands it over as this.
 */
export interface SubgraphResolverMap<TContext> {
  [typeName: string]:
    | {
        [fieldName: string]:
          | FieldResolver<TContext>
          | { requires?: string; resolve?: FieldResolver<TContext>; subscribe?: FieldResolver<TContext> };
      }
    | GraphQLScalarType
    | { [enumValue: string]: string | number };
}

/** The map type buildSubgraphSchema declares (its context type unknown). */
export type ApolloResolverMap = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']
>;
