import {
  defaultFieldResolver,
  getDirectiveValues,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLDirective,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { DomainError, ErrorCode, textProblem } from '@servicecenter/platform-errors';
import { RefusedValue } from './scalars';

/**
 * The input rules at the edge of every subgraph (docs/input.md). Before any resolver with
 * arguments runs, its arguments (as graphql-js coerced them from literals and variables alike)
 * are walked once along their types:
 * - every String and ID (also inside lists, input objects and JSONObject values, keys included)
 *   refuses NUL (U+0000) and lone surrogates and has a maximum length;
 * - every list (and every array inside a JSONObject) has a maximum number of items;
 * - a DateTime, Date or JSONObject the scalar could not parse (a RefusedValue) is refused;
 * - a JSONObject nests at most `jsonMaxDepth` levels.
 * A refusal is one BAD_USER_INPUT naming the first bad field (`input.title`,
 * `input.steps.3.at`) in `extensions.field`, every problem in `extensions.problems`: the shape
 * of the domain's zod validation, so clients handle both alike. Nothing has been read or written
 * when it is raised.
 *
 * The defaults hold where the SDL says nothing; `@limit(maxLength:, maxItems:)` on an argument
 * or input field sets that position's own maximum (for texts and for lists at that position).
 * The edge maxima are never below the domain's (zod) maxima, so the domain gives the precise
 * message and the edge keeps what no domain rule looks at (query filters, JSON, NUL) harmless.
 */
export interface InputLimits {
  /** Characters (UTF-16 code units, as zod counts) of a String. */
  maxLength: number;
  /** Characters of an ID. */
  idMaxLength: number;
  /** Items of a list. */
  maxItems: number;
  /** Levels of objects and arrays in a JSONObject value (the object itself is level 1). */
  jsonMaxDepth: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxLength: 10_000,
  idMaxLength: 200,
  maxItems: 100,
  jsonMaxDepth: 10,
};

/** The directive a subgraph SDL declares (verbatim) to set a position's own maxima. */
export const LIMIT_DIRECTIVE_SDL =
  'directive @limit(maxLength: Int, maxItems: Int) on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION';

/** Fields of the federation machinery: the gateway's entity batches are not client input. */
const FEDERATION_FIELDS = new Set(['_entities', '_service']);
/** Problems listed in one refusal at most (the walk stops there). */
const MAX_PROBLEMS = 20;

interface Problem {
  field: string;
  message: string;
}
type Check = (value: unknown, path: string, problems: Problem[]) => void;
interface PositionLimits {
  maxLength?: number;
  maxItems?: number;
}

const full = (problems: Problem[]) => problems.length >= MAX_PROBLEMS;

function checkText(value: string, maxLength: number, path: string, problems: Problem[]) {
  if (value.length > maxLength) {
    problems.push({ field: path, message: `must be at most ${maxLength} characters (got ${value.length})` });
    return;
  }
  const problem = textProblem(value);
  if (problem) problems.push({ field: path, message: problem });
}

function checkList(value: unknown[], maxItems: number, path: string, problems: Problem[]): boolean {
  if (value.length <= maxItems) return true;
  problems.push({ field: path, message: `must have at most ${maxItems} items (got ${value.length})` });
  return false;
}

/** A JSON value: texts and keys as texts, arrays as lists, and no deeper than the limit. */
function checkJson(
  value: unknown,
  limits: Required<PositionLimits>,
  depthLeft: number,
  path: string,
  problems: Problem[],
) {
  if (full(problems)) return;
  if (typeof value === 'string') return checkText(value, limits.maxLength, path, problems);
  if (typeof value !== 'object' || value === null) return;
  if (depthLeft === 0) {
    problems.push({ field: path, message: 'nests objects and arrays too deeply' });
    return;
  }
  if (Array.isArray(value)) {
    if (checkList(value, limits.maxItems, path, problems))
      value.forEach((item, i) => checkJson(item, limits, depthLeft - 1, `${path}.${i}`, problems));
    return;
  }
  const entries = Object.entries(value);
  if (!checkList(entries, limits.maxItems, path, problems)) return;
  for (const [key, item] of entries) {
    const keyProblem = key.length > limits.maxLength ? 'a key is too long' : textProblem(key);
    if (keyProblem) problems.push({ field: path, message: `key: ${keyProblem}` });
    else checkJson(item, limits, depthLeft - 1, `${path}.${key}`, problems);
  }
}

/** Builds the checks of one schema once; input object checks are shared (and may be recursive). */
class CheckBuilder {
  private readonly objectChecks = new Map<string, Check>();
  private readonly limitDirective: GraphQLDirective | undefined;

  constructor(
    schema: GraphQLSchema,
    private readonly limits: InputLimits,
  ) {
    this.limitDirective = schema.getDirective('limit') ?? undefined;
  }

  position(node: GraphQLArgument | GraphQLInputField): Check {
    const own =
      this.limitDirective && node.astNode
        ? (getDirectiveValues(this.limitDirective, node.astNode) as PositionLimits | undefined)
        : undefined;
    return this.forType(node.type, own ?? {});
  }

  private forType(type: GraphQLInputType, own: PositionLimits): Check {
    if (isNonNullType(type)) return this.forType(type.ofType, own);
    if (isListType(type)) {
      const item = this.forType(type.ofType, own);
      const maxItems = own.maxItems ?? this.limits.maxItems;
      return (value, path, problems) => {
        if (!Array.isArray(value)) return item(value, path, problems); // a single value given for a list
        if (!checkList(value, maxItems, path, problems)) return;
        for (let i = 0; i < value.length && !full(problems); i++) item(value[i], `${path}.${i}`, problems);
      };
    }
    if (isInputObjectType(type)) return this.forObject(type.name, () => type.getFields());
    if (isEnumType(type)) return () => undefined;
    if (!isScalarType(type)) return () => undefined;
    const refused: Check = (value, path, problems) => {
      if (value instanceof RefusedValue) problems.push({ field: path, message: value.problem });
    };
    if (type.name === 'String' || type.name === 'ID') {
      const maxLength = own.maxLength ?? (type.name === 'ID' ? this.limits.idMaxLength : this.limits.maxLength);
      return (value, path, problems) => {
        if (typeof value === 'string') checkText(value, maxLength, path, problems);
      };
    }
    if (type.name === 'JSONObject') {
      const json = {
        maxLength: own.maxLength ?? this.limits.maxLength,
        maxItems: own.maxItems ?? this.limits.maxItems,
      };
      return (value, path, problems) => {
        if (value instanceof RefusedValue) refused(value, path, problems);
        else if (value != null) checkJson(value, json, this.limits.jsonMaxDepth, path, problems);
      };
    }
    return refused;
  }

  private forObject(name: string, fields: () => Record<string, GraphQLInputField>): Check {
    const known = this.objectChecks.get(name);
    if (known) return known;
    let checks: [string, Check][] = [];
    const check: Check = (value, path, problems) => {
      if (typeof value !== 'object' || value === null) return;
      for (const [field, fieldCheck] of checks) {
        if (full(problems)) return;
        const item = (value as Record<string, unknown>)[field];
        if (item != null) fieldCheck(item, `${path}.${field}`, problems);
      }
    };
    this.objectChecks.set(name, check); // before the fields: an input type may contain itself
    checks = Object.values(fields()).map((f) => [f.name, this.position(f)]);
    return check;
  }
}

/** The refusal for the problems found, shaped as the domain's `validate` shapes its own. */
export function inputRefusal(problems: Problem[]): DomainError {
  const [first] = problems;
  return new DomainError(ErrorCode.BAD_USER_INPUT, `${first.field}: ${first.message}`, {
    field: first.field,
    problems,
  });
}

/**
 * Holds every resolver with arguments of `schema` to the input rules (in place; returns the
 * schema). A field without a resolver of its own gets the default resolver behind the check.
 */
export function applyInputRules(schema: GraphQLSchema, limits: InputLimits = DEFAULT_INPUT_LIMITS): GraphQLSchema {
  const builder = new CheckBuilder(schema, limits);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0 || FEDERATION_FIELDS.has(field.name)) continue;
      const args = field.args.map((a) => [a.name, builder.position(a)] as const);
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, values: Record<string, unknown>, context, info) => {
        const problems: Problem[] = [];
        for (const [name, check] of args) {
          const value = values[name];
          if (value != null && !full(problems)) check(value, name, problems);
        }
        if (problems.length > 0) throw inputRefusal(problems);
        return resolve(source, values, context, info);
      };
    }
  }
  return schema;
}
