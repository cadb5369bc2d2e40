import type { EventConsumer } from '@servicecenter/platform-events';
import { DirectoryPersonSaved, DirectoryProductSaved } from '@servicecenter/contracts';
import { DirectoryRefRepository } from '../persistence/directory-refs.repository';

/**
 * The products of the directory (product-saved events), against which disruption notices
 * check their product; customers come from customer.saved (attention-events.consumer). The
 * consumer's inbox makes a redelivered event a no-op; the newest save wins.
 */
export function registerDirectoryEventHandlers(consumer: EventConsumer): void {
  consumer.on(DirectoryProductSaved, async (data, ctx) => {
    await new DirectoryRefRepository(ctx.manager).saveProduct(data);
  });
  // The teams of the directory's people: the team lead of a product's team decides its asks (raci.csv row 98).
  consumer.on(DirectoryPersonSaved, async (data, ctx) => {
    await new DirectoryRefRepository(ctx.manager).savePersonTeams(data);
  });
}
