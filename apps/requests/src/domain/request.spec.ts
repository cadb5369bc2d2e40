import { formatRequestNumber, newRequest, RegisterRequestInputSchema } from './request';

describe('request rules', () => {
  it('numbers requests per year with six digits', () => {
    expect(formatRequestNumber(2026, 123)).toBe('SC-2026-000123');
    expect(formatRequestNumber(2027, 1_234_567)).toBe('SC-2027-1234567');
  });

  it('starts a new request as REGISTERED at version 1, unprioritised, with its evidence stamped', () => {
    const input = RegisterRequestInputSchema.parse({
      type: 'INCIDENT',
      title: '  Payroll run fails  ',
      description: 'Error 500 when starting the run',
      requestedPriority: 'HIGH',
      evidence: [{ kind: 'ERROR_MESSAGE', name: 'error', text: 'HTTP 500' }],
    });
    const now = new Date('2026-11-23T10:00:00Z');
    const request = newRequest({
      id: 'r1',
      number: 'SC-2026-000001',
      input,
      customerId: 'c1',
      requesterId: 'u1',
      teamId: 't1',
      now,
    });
    expect(request).toMatchObject({
      status: 'REGISTERED',
      version: 1,
      title: 'Payroll run fails',
      customerId: 'c1',
      priority: null,
      teamId: 't1',
    });
    expect(request.evidence).toEqual([
      expect.objectContaining({ kind: 'ERROR_MESSAGE', text: 'HTTP 500', addedBy: 'u1', addedAt: now }),
    ]);
  });

  it('rejects a title that is too short and evidence without a name', () => {
    expect(
      RegisterRequestInputSchema.safeParse({ type: 'INCIDENT', title: 'x', description: 'd', requestedPriority: 'LOW' })
        .success,
    ).toBe(false);
    const noName = RegisterRequestInputSchema.safeParse({
      type: 'INCIDENT',
      title: 'Fine title',
      description: 'd',
      requestedPriority: 'LOW',
      evidence: [{ kind: 'SCREENSHOT', name: '' }],
    });
    expect(noName.success).toBe(false);
  });
});
