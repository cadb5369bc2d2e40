import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { DateTime as LuxonDateTime } from 'luxon';

const parseIso = (value: unknown): Date => {
  if (typeof value !== 'string') throw new TypeError('DateTime must be an ISO-8601 string');
  const parsed = LuxonDateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid || !/[zZ]|[+-]\d\d:?\d\d$/.test(value)) {
    throw new TypeError(`DateTime must be ISO-8601 with a zone offset, e.g. 2026-11-23T09:30:00Z (got ${value})`);
  }
  return parsed.toJSDate();
};

/** ISO-8601 with zone on the wire, Date inside; stored as timestamptz. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: parseIso,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('DateTime must be a string');
    return parseIso(ast.value);
  },
});

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON object (not an array or a primitive), e.g. the input of a step of an imported history. */
export const JSONObjectScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObject',
  serialize: (value) => {
    if (!isPlainObject(value)) throw new TypeError('JSONObject cannot represent a non-object value');
    return value;
  },
  parseValue: (value) => {
    if (!isPlainObject(value)) throw new TypeError('JSONObject must be an object');
    return value;
  },
  parseLiteral: (ast, variables) => {
    if (ast.kind !== Kind.OBJECT) throw new TypeError('JSONObject must be an object');
    return valueFromASTUntyped(ast, variables) as Record<string, unknown>;
  },
});
