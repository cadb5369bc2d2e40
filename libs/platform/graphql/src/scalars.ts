import { GraphQLScalarType, Kind } from 'graphql';
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
