import { z } from 'zod';
import { defineEvent } from './event-contract';
import { PrioritySchema, RequestTypeSchema } from './requests.events';
import { Topics } from './topics';

const Party = z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() });

/**
 * The contract product-development teams consume: everything needed to act on a request
 * without calling the Service Center back. Self-contained on purpose (no lookups needed).
 */
export const HandoverRequested = defineEvent({
  type: 'servicecenter.handover.requested.v1',
  topic: Topics.handovers,
  description: 'The Service Center hands a request over to product development (defect or change) or to Consulting.',
  schema: z.object({
    handoverId: z.uuid(),
    target: z.enum(['PRODUCT_DEVELOPMENT', 'CONSULTING']),
    requestId: z.uuid(),
    requestNumber: z.string(),
    requestType: RequestTypeSchema,
    title: z.string(),
    description: z.string(),
    businessImpact: z.string().nullable(),
    priority: PrioritySchema.describe("The Service Center's priority (the requested one when not yet set)"),
    requestedPriority: PrioritySchema,
    product: z.object({ id: z.string(), name: z.string(), productGroup: z.string().nullable() }).nullable(),
    customer: z.object({ id: z.string(), name: z.string() }),
    evidence: z.array(
      z.object({
        kind: z.string(),
        name: z.string(),
        contentType: z.string().nullable(),
        url: z.string().nullable(),
        text: z.string().nullable(),
      }),
    ),
    contact: Party.describe('The Service Center consultant to talk to'),
    requester: Party.describe('The customer user who registered the request'),
    note: z.string().describe("The consultant's analysis for product development"),
    registeredAt: z.iso.datetime({ offset: true }),
    handedOverAt: z.iso.datetime({ offset: true }),
  }),
});
