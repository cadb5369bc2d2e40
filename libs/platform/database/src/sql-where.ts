/**
 * Builds a WHERE clause from optional conditions with numbered parameters, so a filter that
 * is not given adds nothing and the SQL stays index-friendly.
 */
export class SqlWhere {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  /** Adds a parameter; returns its placeholder (`$n`). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds a condition; with `values`, each `?` in it becomes the next parameter. */
  and(condition: string, ...values: unknown[]): this {
    let sql = condition;
    for (const value of values) sql = sql.replace('?', this.param(value));
    this.parts.push(sql);
    return this;
  }

  /**
   * Keyset paging: rows after `position` in the order of `columns` (`>` ascending, `<`
   * descending). The ORDER BY must list the same columns in the same direction, so one index
   * serves every page. No position: the first page, nothing added.
   */
  after(
    columns: readonly string[],
    position: readonly unknown[] | undefined,
    casts: readonly string[],
    direction: 'ASC' | 'DESC' = 'ASC',
  ): this {
    if (!position) return this;
    const values = position.map((value, i) => `${this.param(value)}::${casts[i]}`);
    return this.and(`(${columns.join(', ')}) ${direction === 'ASC' ? '>' : '<'} (${values.join(', ')})`);
  }

  /** The conditions joined with AND; `true` without any (to follow an existing WHERE or AND). */
  get conditions(): string {
    return this.parts.length ? this.parts.join(' AND ') : 'true';
  }

  /** `WHERE …`, or nothing without conditions. */
  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
