import { z } from 'zod';
import { defineEvent } from '@servicecenter/events';
import { Topics } from './topics';

export const RequestTypeSchema = z.enum(['INCIDENT', 'CHANGE', 'INFORMATION', 'APPLICATION_SERVICE']);
export const PrioritySchema = z.enum(['HIGH', 'MEDIUM', 'LOW']);

export const RequestRegistered = defineEvent({
  type: 'servicecenter.request.registered.v1',
  topic: Topics.requests,
  description: 'A customer (or the desk on their behalf) registered a new request.',
  schema: z.object({
    requestId: z.uuid(),
    number: z.string().describe('Human number, e.g. SC-2026-000123'),
    type: RequestTypeSchema,
    title: z.string(),
    customerId: z.string(),
    requesterId: z.string(),
    requestedPriority: PrioritySchema.describe("The customer's requested priority"),
    registeredAt: z.iso.datetime({ offset: true }),
  }),
});
