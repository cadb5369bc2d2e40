import type { NameKey } from '../domain/ports';

/** Builds a WHERE clause with numbered parameters, so optional filters stay index-friendly SQL. */
export class SqlWhere {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  and(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  /** Rows after the keyset position in (name, id) order. */
  after(alias: string, key: NameKey | undefined): this {
    if (key) this.and(`(${alias}.name, ${alias}.id) > (${this.param(key.name)}::text, ${this.param(key.id)}::text)`);
    return this;
  }

  toString(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/** `search` as a case-insensitive substring: LIKE wildcards typed by the user match themselves. */
export const containsPattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
