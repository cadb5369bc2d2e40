import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Caller } from '@servicecenter/platform-auth';
import { operationCost, type CostTable, type OperationCostInput } from './cost';
import type { CallerBudget } from './rate-limit';
import { refuseInvalidVariables } from './variable-errors';

/** The limits on one operation; see docs/limits.md. */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxOperations: number;
  maxCost: number;
}

const reportRejection = (context: ValidationContext | null, error: GraphQLError) => context?.reportError(error);
const armor = { propagateOnRejection: false, onReject: [reportRejection] };

/** A document may hold at most `max` operations (each one would be validated, whichever runs). */
export function maxOperationsRule(max: number): ValidationRule {
  return (context): ASTVisitor => ({
    Document(node) {
      const operations = node.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
      if (operations > max) {
        context.reportError(
          new GraphQLError(`Document has ${operations} operations; the limit is ${max}.`, { nodes: [node] }),
        );
      }
    },
  });
}

/**
 * Shape limits, checked while the document is validated, so a refusal is GRAPHQL_VALIDATION_FAILED
 * (HTTP 400) and no subgraph is called. (Rejections are reported, not thrown: a thrown error would
 * surface as an internal server error.)
 */
export function validationRules(limits: OperationLimits): ValidationRule[] {
  return [
    maxOperationsRule(limits.maxOperations),
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...armor }),
    maxAliasesRule({ n: limits.maxAliases, ...armor }),
    maxDirectivesRule({ n: limits.maxDirectives, ...armor }),
  ];
}

export interface DemandControlContext {
  caller: Caller;
  clientIp?: string;
}

/** Whose budget an operation is charged to: the token's subject, or the address of an anonymous caller. */
export const budgetKey = ({ caller, clientIp }: DemandControlContext) =>
  caller.roles.length > 0 ? `sub:${caller.id}` : `ip:${clientIp ?? 'unknown'}`;

/** Distinct variable sets remembered per document (a mutation's inputs differ every time). */
const COST_CACHE_VARIANTS = 256;

/**
 * Once the operation is known (parsed, validated, variables given) and before it is planned:
 * refuses bad variables with a bounded list of problems (variable-errors.ts); then
 * refuses it when it costs more than `maxCost`, otherwise charges its cost to the caller's
 * budget and refuses it with RATE_LIMITED (HTTP 429, Retry-After) when the budget is spent.
 */
export function demandControlPlugin<C extends DemandControlContext>(options: {
  costs: CostTable;
  maxCost: number;
  budget: CallerBudget;
}): ApolloServerPlugin<C> {
  // An operation's cost depends only on its document (Apollo hands back the same parsed document for
  // the same query text), the operation and the variables: computed once for each, not per request.
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  const costOf = (input: OperationCostInput) => {
    const key = `${input.operationName ?? ''}\u0000${JSON.stringify(input.variables ?? {})}`;
    let known = costs.get(input.document);
    let cost = known?.get(key);
    if (cost !== undefined) return cost;
    cost = operationCost(options.costs, input);
    if (!known || known.size >= COST_CACHE_VARIANTS) costs.set(input.document, (known = new Map()));
    known.set(key, cost);
    return cost;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, operationName, request, contextValue }) {
          refuseInvalidVariables(schema, operation, request.variables);
          const cost = costOf({
            schema,
            document,
            operationName,
            variables: request.variables,
          });
          if (cost > options.maxCost) {
            throw new GraphQLError(`Operation cost ${cost} exceeds the limit of ${options.maxCost}.`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost, maxCost: options.maxCost, http: { status: 400 } },
            });
          }
          const charge = await options.budget.charge(budgetKey(contextValue), cost);
          if (!charge.ok) {
            throw new GraphQLError(
              `Too many requests: this caller's budget is spent; retry in ${charge.retryAfterSeconds} s.`,
              {
                extensions: {
                  code: 'RATE_LIMITED',
                  retryAfter: charge.retryAfterSeconds,
                  http: { status: 429, headers: new Map([['retry-after', String(charge.retryAfterSeconds)]]) },
                },
              },
            );
          }
        },
      };
    },
  };
}
