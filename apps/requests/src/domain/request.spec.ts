import { formatRequestNumber, newRequest, RegisterRequestInputSchema } from './request';

describe('request rules', () => {
  it('numbers requests per year with six digits', () => {
    expect(formatRequestNumber(2026, 123)).toBe('SC-2026-000123');
    expect(formatRequestNumber(2027, 1_234_567)).toBe('SC-2027-1234567');
  });

  it('starts a new request as REGISTERED at version 1 with trimmed text', () => {
    const input = RegisterRequestInputSchema.parse({
      type: 'INCIDENT',
      title: '  Payroll run fails  ',
      description: 'Error 500 when starting the run',
      requestedPriority: 'HIGH',
    });
    const request = newRequest({ id: 'r1', number: 'SC-2026-000001', input, customerId: 'c1', requesterId: 'u1', now: new Date('2026-11-23T10:00:00Z') });
    expect(request).toMatchObject({ status: 'REGISTERED', version: 1, title: 'Payroll run fails', customerId: 'c1' });
  });

  it('rejects a title that is too short', () => {
    const result = RegisterRequestInputSchema.safeParse({ type: 'INCIDENT', title: 'x', description: 'd', requestedPriority: 'LOW' });
    expect(result.success).toBe(false);
  });
});
