import { SqlWhere } from './sql-where';

describe('SqlWhere', () => {
  it('numbers parameters in order, filling ? placeholders, and leaves out what was not given', () => {
    const w = new SqlWhere().and('product_id = ?', 'prod-1').and(`status = ANY(?::text[])`, ['OPEN']);
    expect(`${w}`).toBe('WHERE product_id = $1 AND status = ANY($2::text[])');
    expect(w.params).toEqual(['prod-1', ['OPEN']]);
    expect(`${new SqlWhere()}`).toBe('');
    expect(new SqlWhere().conditions).toBe('true');
  });

  it('pages by keyset after a position, descending with <', () => {
    const w = new SqlWhere()
      .and('customer_id = ?', 'c1')
      .after(['answered_at', 'request_id'], ['2026-11-01T10:00:00.000001Z', 'r-9'], ['timestamptz', 'uuid'], 'DESC');
    expect(w.conditions).toBe('customer_id = $1 AND (answered_at, request_id) < ($2::timestamptz, $3::uuid)');
    expect(w.params).toEqual(['c1', '2026-11-01T10:00:00.000001Z', 'r-9']);
    expect(new SqlWhere().after(['name', 'id'], undefined, ['text', 'text']).conditions).toBe('true');
  });
});
