import { neutraliseCell } from './export-customer-data';

describe('CSV cells of the exit extract', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+31 20 123 4567', `'+31 20 123 4567`],
    ['-1', `'-1`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1', `'\t=1`],
  ])('neutralises %j so a spreadsheet shows it as text', (value, expected) => {
    expect(neutraliseCell(value)).toBe(expected);
  });

  it('leaves ordinary text, numbers and dates as they are', () => {
    expect(neutraliseCell('Payroll run fails')).toBe('Payroll run fails');
    expect(neutraliseCell(42)).toBe('42');
    expect(neutraliseCell(new Date('2026-11-23T10:00:00Z'))).toBe('2026-11-23T10:00:00.000Z');
    expect(neutraliseCell(null)).toBe('');
  });
});
