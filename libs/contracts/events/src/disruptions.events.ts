import { z } from 'zod';
import { defineEvent } from './event-contract';
import { Topics } from './topics';

/**
 * A disruption notice was resolved: the requests service gives every linked request the
 * solution and the cause (in non-technical words), so the customers confirm and the
 * requests close. Key: the notice id.
 */
export const DisruptionResolved = defineEvent({
  type: 'servicecenter.disruption.resolved.v1',
  topic: Topics.escalations,
  description:
    'A disruption notice was resolved with a non-technical cause and the solution; linked requests get the solution proposed.',
  schema: z.object({
    noticeId: z.uuid(),
    number: z.string().describe('Human number of the notice, e.g. DN-2026-0001'),
    productId: z.string(),
    cause: z.string().describe('The cause in non-technical words'),
    solution: z.string(),
    linkedRequestIds: z.array(z.uuid()),
    resolvedAt: z.iso.datetime({ offset: true }),
    resolvedBy: z.string(),
  }),
});
