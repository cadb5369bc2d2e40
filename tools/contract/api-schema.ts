import { Supergraph } from '@apollo/federation-internals';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/**
 * The API schema of a supergraph: what clients see. No join__/link__ machinery, no
 * @inaccessible elements, no federation directives; types and fields sorted by name so the
 * printed file only changes when the contract does.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return lexicographicSortSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema());
}

export function printApiSchema(supergraphSdl: string): string {
  return `${printSchema(apiSchemaOf(supergraphSdl))}\n`;
}
