import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphql, parse, type GraphQLSchema } from 'graphql';
import type { Caller } from '@servicecenter/platform-auth';
import { DomainError } from '@servicecenter/platform-errors';
import { buildServiceSchema, DateTimeScalar } from '@servicecenter/platform-graphql';
import { directoryResolvers } from '../resolvers';
import { knowledgeResolvers } from '../../knowledge/resolvers';

/**
 * The directory and knowledge SDL with their resolvers as a real subgraph schema, so specs
 * run operations the way the gateway sends them (including `_entities`). What they use of
 * 00-common/05-requests (link, DateTime, PageInfo, Priority, Query, Mutation) is stubbed here: these
 * specs must not depend on the request lifecycle's SDL.
 */
const HEADER = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@cost", "@listSize"])
  scalar DateTime
  enum Priority { HIGH MEDIUM LOW }
  directive @limit(maxLength: Int, maxItems: Int) on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
  type PageInfo @shareable { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
  type Query { _stub: Boolean }
  type Mutation { _stub: Boolean }
`;

export function directorySchema(): GraphQLSchema {
  const schemaDir = join(__dirname, '..', '..', 'schema');
  const sdl = [
    HEADER,
    ...['10-directory.graphql', '20-knowledge.graphql'].map((f) => readFileSync(join(schemaDir, f), 'utf8')),
  ].join('\n');
  const resolvers = {
    ...directoryResolvers,
    ...knowledgeResolvers,
    DateTime: DateTimeScalar,
    Query: { ...directoryResolvers.Query, ...knowledgeResolvers.Query },
    Mutation: { ...directoryResolvers.Mutation, ...knowledgeResolvers.Mutation },
  };
  // As startSubgraphServer builds it: the input rules before every resolver with arguments.
  return buildServiceSchema(parse(sdl), resolvers);
}

export interface Outcome<T = Record<string, unknown>> {
  data: T | null | undefined;
  /** What a client sees of each error: the code and the field it names. */
  errors: { code?: string; field?: unknown; message: string }[];
}

/** A connection as specs read it. */
export interface Page<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: T }[];
}

/** The data of an operation that must succeed; its errors otherwise. */
export function dataOf<T>(outcome: Outcome<T>): T {
  if (!outcome.data || outcome.errors.length > 0)
    throw new Error(`the operation failed: ${JSON.stringify(outcome.errors)}`);
  return outcome.data;
}

export async function execute<T = Record<string, unknown>>(
  schema: GraphQLSchema,
  contextValue: unknown,
  source: string,
  variableValues?: Record<string, unknown>,
): Promise<Outcome<T>> {
  const result = await graphql({ schema, source, contextValue, variableValues });
  const errors = (result.errors ?? []).map((e) => {
    if (e.originalError instanceof DomainError)
      return { code: e.originalError.code, field: e.originalError.details.field, message: e.message };
    if (e.originalError) throw e.originalError;
    return { code: 'GRAPHQL_VALIDATION_FAILED', message: e.message };
  });
  return { data: result.data as T | null | undefined, errors };
}

export const caller = (id: string, roles: Caller['roles'], customerId?: string): Caller => ({ id, roles, customerId });
