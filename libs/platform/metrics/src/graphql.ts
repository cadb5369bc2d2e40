import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import type { Metrics } from './metrics';

/** Codes that mean "our fault or our trouble": they count as `server_error`. */
const SERVER_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'OUTCOME_UNKNOWN']);
/** Codes counted by name in servicecenter_graphql_errors_total; any other is `OTHER`. */
const KNOWN_CODES = new Set([
  ...SERVER_CODES,
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_TRANSITION',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
]);

/** The label of an operation that never got past parsing and validation. */
export const UNKNOWN_OPERATION = 'unknown';

/**
 * The `operation` label: the operation's first root field (`registerRequest`, `requestQueue`,
 * `_entities` on a subgraph). A client's operation name is a free string a hostile caller
 * can vary at will; a root field exists in the schema (the operation was validated), so the
 * label has at most as many values as the schema has root fields. Operations that fail to
 * parse or validate, and anonymous fragments at the root, are `unknown`.
 */
export function operationLabel(operation: OperationDefinitionNode | undefined): string {
  const first = operation?.selectionSet.selections[0];
  return first?.kind === 'Field' ? first.name.value : UNKNOWN_OPERATION;
}

type Outcome = 'ok' | 'client_error' | 'server_error';

/**
 * `servicecenter_graphql_operation_duration_seconds{operation, operation_type, outcome}` and
 * `servicecenter_graphql_errors_total{code}`. Observes once per operation, from the codes of
 * the errors as sent (after the error formatter), without touching the database.
 */
export function graphqlMetricsPlugin<TContext extends object>(metrics: Metrics): ApolloServerPlugin<TContext> {
  const duration = metrics.histogram(
    'graphql_operation_duration_seconds',
    'GraphQL operations, by root field, operation type and outcome (ok, client_error, server_error)',
    ['operation', 'operation_type', 'outcome'],
  );
  const errors = metrics.counter('graphql_errors_total', 'GraphQL errors sent, by extensions.code', ['code']);
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<TContext>> {
      const started = performance.now();
      let operation = UNKNOWN_OPERATION;
      let operationType = UNKNOWN_OPERATION;
      return {
        async didResolveOperation(ctx) {
          operation = operationLabel(ctx.operation);
          operationType = ctx.operation?.operation ?? UNKNOWN_OPERATION;
        },
        async willSendResponse(ctx) {
          const body = ctx.response.body;
          const sent = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          let outcome: Outcome = 'ok';
          for (const error of sent ?? []) {
            const raw = error.extensions?.code;
            const code = typeof raw === 'string' && KNOWN_CODES.has(raw) ? raw : 'OTHER';
            errors.inc({ code });
            if (SERVER_CODES.has(code) || code === 'OTHER') outcome = 'server_error';
            else if (outcome === 'ok') outcome = 'client_error';
          }
          duration.observe({ operation, operation_type: operationType, outcome }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
