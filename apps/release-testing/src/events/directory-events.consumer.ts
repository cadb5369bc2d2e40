import type { EventConsumer } from '@servicecenter/events';
import { DirectoryProductSaved } from '@servicecenter/contracts';
import { ProductRefRepository } from '../persistence/product-ref.repository';

/**
 * The product read model: releases and test plans name only products the directory
 * announced. The inbox makes a redelivery a no-op; the newest save wins.
 */
export function registerDirectoryEventHandlers(consumer: EventConsumer): void {
  consumer.on(DirectoryProductSaved, async (data, { manager }) => {
    await new ProductRefRepository(manager).save(data);
  });
}
