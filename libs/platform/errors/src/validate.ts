import type { z } from 'zod';
import { DomainError, ErrorCode } from './domain-error';

/**
 * Validates input with a zod schema; a failure becomes one BAD_USER_INPUT naming the first
 * bad field, with every problem listed in `extensions.problems`.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, prefix = 'input'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = problems[0];
  return (() => {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `${first.field}: ${first.message}`, {
      field: first.field,
      problems,
    });
  })();
}
