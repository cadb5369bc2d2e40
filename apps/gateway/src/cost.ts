import {
  GraphQLError,
  Kind,
  getNamedType,
  isCompositeType,
  parse,
  type ConstValueNode,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/**
 * Demand control: what an operation costs the subgraphs, computed before any of them is called.
 *
 * Weights are declared in the subgraph SDL with Federation's demand-control directives
 * (`@cost(weight:)`, `@listSize(slicingArguments:, assumedSize:)`, Federation 2.9) and composed
 * into the supergraph, where the gateway reads them (`readCostDirectives`). A field costs its
 * weight (`@cost`, else 1 for a field returning an object and 0 for a scalar or enum; a mutation
 * field 10), plus the cost of its selection, multiplied for a `@listSize` field by the page the
 * operation asks for (its slicing argument, e.g. `first`, else `assumedSize`). Every alias is
 * counted: 300 aliases of a report cost 300 reports.
 */
export interface FieldCost {
  weight?: number;
  slicingArguments?: string[];
  assumedSize?: number;
}

/** `Type.field` → what the supergraph declares for it. */
export type CostTable = ReadonlyMap<string, FieldCost>;

export const MUTATION_FIELD_WEIGHT = 10;
const COST_SPEC = 'https://specs.apollo.dev/cost/';

/** The names the supergraph gives the cost spec's directives (its `@link` may rename or not import them). */
function costDirectiveNames(document: DocumentNode): { cost: string; listSize: string } | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = constArg(link, 'url');
      if (typeof url !== 'string' || !url.startsWith(COST_SPEC)) continue;
      const prefix = (constArg(link, 'as') as string | undefined) ?? 'cost';
      const imported = new Map<string, string>();
      for (const entry of (constArg(link, 'import') as unknown[] | undefined) ?? []) {
        if (typeof entry === 'string') imported.set(entry, entry);
        else if (entry && typeof entry === 'object' && 'name' in entry) {
          const { name, as } = entry as { name: string; as?: string };
          imported.set(name, as ?? name);
        }
      }
      const local = (name: string, fallback: string) => (imported.get(`@${name}`) ?? `@${fallback}`).slice(1);
      return { cost: local('cost', prefix), listSize: local('listSize', `${prefix}__listSize`) };
    }
  }
  return undefined;
}

function constValue(node: ConstValueNode): unknown {
  switch (node.kind) {
    case Kind.INT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.LIST:
      return node.values.map(constValue);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, constValue(f.value)]));
    default:
      return undefined;
  }
}

function constArg(directive: DirectiveNode, name: string): unknown {
  const argument = directive.arguments?.find((a) => a.name.value === name);
  return argument ? constValue(argument.value as ConstValueNode) : undefined;
}

/** Reads `@cost` and `@listSize` of every field from the supergraph SDL. */
export function readCostDirectives(supergraphSdl: string): CostTable {
  const document = parse(supergraphSdl);
  const table = new Map<string, FieldCost>();
  const names = costDirectiveNames(document);
  if (!names) return table;
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      const entry: FieldCost = {};
      for (const directive of field.directives ?? []) {
        if (directive.name.value === names.cost) entry.weight = constArg(directive, 'weight') as number;
        if (directive.name.value === names.listSize) {
          entry.slicingArguments = constArg(directive, 'slicingArguments') as string[] | undefined;
          entry.assumedSize = constArg(directive, 'assumedSize') as number | undefined;
        }
      }
      if (Object.keys(entry).length > 0) table.set(`${definition.name.value}.${field.name.value}`, entry);
    }
  }
  return table;
}

/** The estimator for graphql-query-complexity that applies the table. */
export function costEstimator(schema: GraphQLSchema, table: CostTable): ComplexityEstimator {
  const mutationType = schema.getMutationType();
  return ({ type, field, args, childComplexity }) => {
    const declared = table.get(`${type.name}.${field.name}`);
    const weight =
      declared?.weight ??
      (mutationType && type === mutationType
        ? MUTATION_FIELD_WEIGHT
        : isCompositeType(getNamedType(field.type))
          ? 1
          : 0);
    let size = 1;
    if (declared?.slicingArguments || declared?.assumedSize !== undefined) {
      const sliced = declared.slicingArguments?.map((name) => args[name]).find((v) => typeof v === 'number');
      size = Math.max(0, (sliced as number | undefined) ?? declared.assumedSize ?? 1);
    }
    return weight + size * childComplexity;
  };
}

export interface OperationCostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
}

/**
 * The cost of the operation the request runs. Variables that do not fit their types are the
 * client's error (BAD_USER_INPUT), as execution would have said.
 */
export function operationCost(table: CostTable, input: OperationCostInput): number {
  try {
    return getComplexity({
      schema: input.schema,
      query: input.document,
      operationName: input.operationName ?? undefined,
      variables: input.variables ?? {},
      estimators: [costEstimator(input.schema, table)],
    });
  } catch (error) {
    if (error instanceof GraphQLError) {
      throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
    }
    throw error;
  }
}
