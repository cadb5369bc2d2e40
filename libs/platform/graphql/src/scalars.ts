import { GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { parseCalendarDate, parseInstant, type Parsed } from '@servicecenter/platform-errors';

/**
 * What a custom scalar of ours parses a bad value into, instead of throwing: graphql-js would
 * report a thrown error as a validation failure (a literal) or an HTTP 400 (a variable) that
 * names neither the field nor our code. The input rules (input-rules.ts), which run before every
 * resolver with arguments, find it and answer BAD_USER_INPUT naming the field, the same for a
 * literal and a variable. It never reaches a resolver.
 */
export class RefusedValue {
  constructor(readonly problem: string) {}
}

const orRefused = <T>(parsed: Parsed<T>): T | RefusedValue =>
  parsed.ok ? parsed.value : new RefusedValue(parsed.problem);

const literal = (ast: ValueNode): unknown => (ast.kind === Kind.STRING ? ast.value : valueFromASTUntyped(ast));

/** RFC 3339 with an offset on the wire, Date inside; stored as timestamptz. Years 1900–2200. */
export const DateTimeScalar = new GraphQLScalarType<Date | RefusedValue, string>({
  name: 'DateTime',
  description: 'An instant: RFC 3339 with an offset (2026-11-23T09:30:00Z), years 1900–2200; answered in UTC.',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: (value) => orRefused(parseInstant(value)),
  parseLiteral: (ast) => orRefused(parseInstant(literal(ast))),
});

/** A calendar day YYYY-MM-DD (no time, no zone), years 1900–2200; a string inside. */
export const DateScalar = new GraphQLScalarType<string | RefusedValue, string>({
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD (2026-11-23), years 1900–2200.',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))
      throw new TypeError(`Date cannot represent ${String(value)}`);
    return value;
  },
  parseValue: (value) => orRefused(parseCalendarDate(value)),
  parseLiteral: (ast) => orRefused(parseCalendarDate(literal(ast))),
});

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const jsonObject = (value: unknown) =>
  isPlainObject(value) ? value : new RefusedValue('must be a JSON object (not an array or a single value)');

/**
 * A JSON object (not an array or a primitive), e.g. the input of a step of an imported history.
 * Its texts, keys, nesting and lists are held to the input rules like any other argument.
 */
export const JSONObjectScalar = new GraphQLScalarType<Record<string, unknown> | RefusedValue, Record<string, unknown>>({
  name: 'JSONObject',
  serialize: (value) => {
    if (!isPlainObject(value)) throw new TypeError('JSONObject cannot represent a non-object value');
    return value;
  },
  parseValue: jsonObject,
  parseLiteral: (ast, variables) => jsonObject(valueFromASTUntyped(ast, variables)),
});
