import { z } from 'zod';
import { defineEvent } from './event-contract';
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

/**
 * A person of the directory (Service Center staff or a customer's user) was created or
 * changed, in the transaction of the admin change. Carries what other services check input
 * against, not the person's contact details: release testing refuses testers no event
 * announced.
 */
export const DirectoryPersonSaved = defineEvent({
  type: 'servicecenter.directory.person-saved.v1',
  topic: Topics.requests,
  description:
    'A person was created or updated in the directory (id, roles and organisation after the change; no contact details).',
  schema: z.object({
    personId: z.string().describe("Also the `sub` of the person's bearer token"),
    roles: z.array(z.string()),
    customerId: z.string().nullable().describe('Set for customer users: the organisation they belong to'),
    teamIds: z
      .array(z.string())
      .optional()
      .describe(
        "The Service Center teams the person works in (a team lead decides its own product's asks); absent in events before it was announced",
      ),
    savedAt: z.iso.datetime({ offset: true }).describe('When the change was saved; the newest wins'),
  }),
});

export const DIRECTORY_EVENTS = [DirectoryProductSaved, DirectoryPersonSaved] as const;
