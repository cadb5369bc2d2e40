import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { DEV_JWT_SECRET, signDevToken, type Role } from '@servicecenter/platform-auth';

/**
 * An operation: a typed document generated from the API schema (`graphql(...)` of the
 * e2e specs' client preset, `npm run compose`), whose result and variables are checked by the
 * compiler, or a plain string for what no typed document can express (abuse, malformed input).
 */
export type Operation<TResult, TVariables> = TypedDocumentNode<TResult, TVariables> | string;

const text = (operation: Operation<unknown, never>) => (typeof operation === 'string' ? operation : print(operation));

export interface GraphResponse<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Speaks to the gateway the way a front end does: HTTP POST with a bearer token. */
export class GraphClient {
  constructor(
    readonly url: string,
    private readonly secret = DEV_JWT_SECRET,
  ) {}

  token(roles: Role | Role[], options: { sub?: string; customerId?: string; name?: string } = {}): Promise<string> {
    const list = Array.isArray(roles) ? roles : [roles];
    return signDevToken(this.secret, {
      sub: options.sub ?? `user-${list[0]}`,
      roles: list,
      customerId: options.customerId,
      name: options.name,
    });
  }

  /**
   * Sends an operation and returns the whole answer, errors included. Its variables are not
   * held to the schema's types: this is how tests send what a buggy or hostile client sends.
   */
  async request<T = Record<string, unknown>>(
    query: Operation<T, never>,
    variables: Record<string, unknown> = {},
    token?: string,
    /** Extra HTTP headers, e.g. `Idempotency-Key`. */
    headers: Record<string, string> = {},
  ): Promise<GraphResponse<T>> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query: text(query), variables }),
    });
    const body = (await response.json()) as Omit<GraphResponse<T>, 'status'>;
    return { status: response.status, ...body };
  }

  /** Like request, but fails the test on any GraphQL error; a typed document's variables are type-checked. */
  async ok<T, V>(document: TypedDocumentNode<T, V>, variables: V, token?: string): Promise<T>;
  async ok<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  async ok<T>(query: Operation<T, unknown>, variables: unknown = {}, token?: string): Promise<T> {
    const result = await this.request<T>(query as Operation<T, never>, variables as Record<string, unknown>, token);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }
}
