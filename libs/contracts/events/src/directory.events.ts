import { z } from 'zod';
import { defineEvent } from '@servicecenter/events';
import { Topics } from './topics';

/**
 * A product of the directory was created or changed (published by the requests service,
 * where the directory lives, in the transaction of the admin change). Carries the whole
 * product after the change: services that take product ids as input (escalations,
 * release testing) keep the products they know from these events alone and refuse ids no
 * event announced. Customers keep their own, older event: `servicecenter.customer.saved.v1`.
 */
export const DirectoryProductSaved = defineEvent({
  type: 'servicecenter.directory.product-saved.v1',
  topic: Topics.requests,
  description: 'A product was created or updated in the directory (the whole product after the change).',
  schema: z.object({
    productId: z.string(),
    name: z.string(),
    productGroupId: z.string(),
    teamId: z.string().describe('The team that handles requests about the product'),
    savedAt: z.iso.datetime({ offset: true }).describe('When the change was saved; the newest wins'),
  }),
});

export const DIRECTORY_EVENTS = [DirectoryProductSaved] as const;
