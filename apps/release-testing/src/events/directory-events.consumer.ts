import type { EventConsumer } from '@servicecenter/platform-events';
import { DirectoryPersonSaved, DirectoryProductSaved } from '@servicecenter/contracts';
import { PersonRefRepository } from '../persistence/person-ref.repository';
import { ProductRefRepository } from '../persistence/product-ref.repository';

/**
 * The product and person read models: releases and test plans name only products the
 * directory announced, test runs only testers it announced. The inbox makes a redelivery a no-op; the newest save wins.
 */
export function registerDirectoryEventHandlers(consumer: EventConsumer): void {
  consumer.on(DirectoryProductSaved, async (data, { manager }) => {
    await new ProductRefRepository(manager).save(data);
  });
  consumer.on(DirectoryPersonSaved, async (data, { manager }) => {
    await new PersonRefRepository(manager).save(data);
  });
}
