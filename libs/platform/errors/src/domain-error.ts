/**
 * Error codes every service speaks. The GraphQL layer copies `code` into
 * `extensions.code`; domain code throws these and never imports GraphQL.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  CONFLICT: 'CONFLICT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra machine-readable facts for the client, e.g. `field` or `allowedTransitions`. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, { field, ...details });

export const notFound = (what: string, id: string) =>
  new DomainError(ErrorCode.NOT_FOUND, `${what} ${id} was not found`, { id });

export const forbidden = (message: string) => new DomainError(ErrorCode.FORBIDDEN, message);

export const unauthenticated = (message = 'Sign in first: this needs a valid bearer token') =>
  new DomainError(ErrorCode.UNAUTHENTICATED, message);

export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError(ErrorCode.CONFLICT, message, details);

/**
 * `to` is the attempted target status or action; `allowedTransitions` what is possible from
 * `from`, so a client can offer the right buttons. `extra` adds facts such as what is missing.
 */
export const invalidTransition = (
  from: string,
  to: string,
  allowedTransitions: readonly string[],
  extra: { reason?: string; missing?: string[] } = {},
) =>
  new DomainError(
    ErrorCode.INVALID_TRANSITION,
    `${to} is not possible from ${from}${extra.reason ? ` (${extra.reason})` : ''}; allowed from ${from}: ${allowedTransitions.join(', ') || 'none'}`,
    { from, to, allowedTransitions, ...extra },
  );
