import { z } from 'zod';

export type RequestType = 'INCIDENT' | 'CHANGE' | 'INFORMATION' | 'APPLICATION_SERVICE';
export type Priority = 'HIGH' | 'MEDIUM' | 'LOW';
export type RequestStatus = 'REGISTERED';

export interface Request {
  id: string;
  number: string;
  type: RequestType;
  title: string;
  description: string;
  status: RequestStatus;
  requestedPriority: Priority;
  customerId: string;
  requesterId: string;
  registeredAt: Date;
  version: number;
}

export const RegisterRequestInputSchema = z.object({
  type: z.enum(['INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE']),
  title: z.string().trim().min(3, 'must be at least 3 characters').max(200, 'must be at most 200 characters'),
  description: z.string().trim().min(1, 'must not be empty').max(20_000, 'must be at most 20000 characters'),
  requestedPriority: z.enum(['HIGH', 'MEDIUM', 'LOW']),
  customerId: z.string().trim().min(1, 'must not be empty').max(100).nullish(),
});
export type RegisterRequestInput = z.infer<typeof RegisterRequestInputSchema>;

/** SC-2026-000123: prefix, year of registration, per-year counter. */
export function formatRequestNumber(year: number, counter: number): string {
  return `SC-${year}-${String(counter).padStart(6, '0')}`;
}

export function newRequest(fields: {
  id: string;
  number: string;
  input: RegisterRequestInput;
  customerId: string;
  requesterId: string;
  now: Date;
}): Request {
  return {
    id: fields.id,
    number: fields.number,
    type: fields.input.type,
    title: fields.input.title,
    description: fields.input.description,
    status: 'REGISTERED',
    requestedPriority: fields.input.requestedPriority,
    customerId: fields.customerId,
    requesterId: fields.requesterId,
    registeredAt: fields.now,
    version: 1,
  };
}
