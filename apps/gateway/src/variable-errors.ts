import { GraphQLError, getVariableValues, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/**
 * Bounds the work on bad variables. @apollo/gateway checks an operation's variables with
 * graphql-js's getVariableValues but without its `maxErrors` bound (graphql-js's own execute
 * passes 50): a 1 MB body with a list of 70,000 wrong items made 70,000 errors and held the
 * event loop for minutes. This checks, with the bound, and refuses the operation with one
 * BAD_USER_INPUT (HTTP 400, as Apollo answers bad variables) listing at most `maxErrors` problems;
 * good variables pass on to the gateway unchanged. The demand-control plugin (limits.ts) calls it
 * first, so the operation's cost is never computed over bad variables either (graphql-query-complexity
 * coerces them without a bound too).
 */
export function refuseInvalidVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode | undefined,
  variables: Record<string, unknown> | undefined,
  maxErrors = 50,
): void {
  const definitions = operation?.variableDefinitions;
  if (!definitions || definitions.length === 0) return;
  const { errors } = getVariableValues(schema, definitions, variables ?? {}, { maxErrors });
  if (!errors || errors.length === 0) return;
  throw new GraphQLError(errors[0].message, {
    nodes: errors[0].nodes,
    extensions: {
      code: 'BAD_USER_INPUT',
      problems: errors.map((e) => e.message),
      http: { status: 400 },
    },
  });
}
