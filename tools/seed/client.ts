import { signDevToken, type Role } from '@servicecenter/platform-auth';
import { people } from '../../apps/requests/src/directory/testing/demo-data';

/** A GraphQL error the gateway answered with, or a transport failure (code NETWORK / HTTP_<status>). */
export class SeedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** What the seed was doing, e.g. `createPerson p-anna-devries` or `SC-2026-000004 startHandling`. */
    readonly operation: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SeedError';
  }

  /** `[CODE] message (while operation)`, plus the field or missing items when the error names them. */
  describe(): string {
    const facts = ['field', 'missing', 'from', 'to', 'allowedTransitions']
      .filter((k) => this.details[k] !== undefined)
      .map((k) => `${k}: ${JSON.stringify(this.details[k])}`);
    return `[${this.code}] ${this.message}${facts.length ? ` (${facts.join('; ')})` : ''}\n  while: ${this.operation}`;
  }
}

export interface TokenPerson {
  id: string;
  name: string;
  roles: readonly string[];
  customerId?: string | null;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * Speaks to the gateway as the demo people do: a POST with a bearer token of the person's
 * directory record (`sub` = person id, their roles, their organisation).
 */
export class SeedClient {
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(
    readonly url: string,
    private readonly secret: string,
    /** Who a person id is (the generator brings its own directory). */
    private readonly lookup: (personId: string) => TokenPerson | undefined = (id) => people.find((p) => p.id === id),
    private readonly expiresIn = '1h',
  ) {}

  /** A token for a person of apps/requests/src/directory/testing/demo-data.ts (or of the lookup given). */
  tokenFor(personId: string): Promise<string> {
    let token = this.tokens.get(personId);
    if (!token) {
      const person = this.lookup(personId);
      if (!person) throw new Error(`${personId} is not a person of the seed's directory`);
      token = signDevToken(this.secret, {
        sub: person.id,
        name: person.name,
        roles: person.roles as Role[],
        customerId: person.customerId ?? undefined,
        expiresIn: this.expiresIn,
      });
      this.tokens.set(personId, token);
    }
    return token;
  }

  /**
   * Runs one operation as `personId`; any GraphQL error becomes a SeedError with its code. When the
   * gateway says the person's budget is spent (RATE_LIMITED) it waits the `retryAfter` seconds it
   * names and sends the operation again (nothing ran).
   */
  async run<T>(personId: string, query: string, variables: Record<string, unknown>, operation: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce<T>(personId, query, variables, operation);
      } catch (error) {
        if (!(error instanceof SeedError) || error.code !== 'RATE_LIMITED' || attempt >= 10) throw error;
        const seconds = Number(error.details?.retryAfter) || 1;
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      }
    }
  }

  private async runOnce<T>(
    personId: string,
    query: string,
    variables: Record<string, unknown>,
    operation: string,
  ): Promise<T> {
    const token = await this.tokenFor(personId);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new SeedError(
        'NETWORK',
        `cannot reach the gateway at ${this.url} (${cause}): is \`npm start\` running?`,
        operation,
      );
    }
    const text = await response.text();
    let body: GraphQLResponse<T>;
    try {
      body = JSON.parse(text) as GraphQLResponse<T>;
    } catch {
      throw new SeedError(
        `HTTP_${response.status}`,
        `the gateway answered ${response.status} without GraphQL (is ${this.url} the gateway?): ${text
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 200)}`,
        operation,
      );
    }
    const [error] = body.errors ?? [];
    if (error) {
      const { code, ...details } = error.extensions ?? {};
      throw new SeedError(typeof code === 'string' ? code : 'UNKNOWN', error.message, operation, details);
    }
    if (!body.data) throw new SeedError(`HTTP_${response.status}`, 'the gateway answered without data', operation);
    return body.data;
  }

  /** Pages through a connection (100 per page, the graph's maximum). */
  async all<D, N>(
    personId: string,
    query: string,
    variables: Record<string, unknown>,
    pick: (data: D) => Connection<N>,
    operation: string,
  ): Promise<N[]> {
    const nodes: N[] = [];
    let after: string | null = null;
    for (;;) {
      const data = await this.run<D>(personId, query, { ...variables, first: 100, after }, operation);
      const page = pick(data);
      nodes.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) return nodes;
      after = page.pageInfo.endCursor;
    }
  }
}

export interface Connection<N> {
  edges: { node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Log lines of the seed; the CLI prints them, the spec collects or drops them. */
export type SeedLog = (line: string) => void;
