import { DEV_JWT_SECRET, signDevToken, type Role } from '@servicecenter/platform-auth';

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

  async request<T = Record<string, unknown>>(
    query: string,
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
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphResponse<T>, 'status'>;
    return { status: response.status, ...body };
  }

  /** Like request, but fails the test on any GraphQL error. */
  async ok<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<T> {
    const result = await this.request<T>(query, variables, token);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }
}
