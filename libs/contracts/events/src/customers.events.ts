import { z } from 'zod';
import { defineEvent } from './event-contract';
import { Topics } from './topics';

/**
 * A customer of the directory was created or changed (published by the requests service,
 * where the directory lives). Carries the whole customer after the change, so a consumer
 * keeps its own view (e.g. customer → service manager) from the newest event alone.
 */
export const CustomerSaved = defineEvent({
  type: 'servicecenter.customer.saved.v1',
  topic: Topics.requests,
  description: 'A customer was created or updated in the directory (the whole customer after the change).',
  schema: z.object({
    customerId: z.string(),
    name: z.string(),
    serviceManagerId: z.string().nullable().describe('The service manager who owns the relation on service'),
    customerSuccessManagerId: z.string().nullable(),
    applicationServicesContract: z.boolean(),
    applicationServicesConditions: z
      .array(z.object({ mutationKind: z.string(), priority: z.string() }))
      .optional()
      .describe('The kinds of mutation the Application Services contract covers and the priority each gets'),
    baseBundleHours: z.number(),
    creditBundleHours: z.number(),
    language: z.string().describe('Preferred language for standard texts'),
    savedAt: z.iso.datetime({ offset: true }).describe('When the change was saved; the newest wins'),
  }),
});

export const CUSTOMER_EVENTS = [CustomerSaved] as const;
