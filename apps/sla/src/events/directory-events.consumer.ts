import type { EventConsumer } from '@servicecenter/platform-events';
import { CustomerSaved } from '@servicecenter/contracts';
import { CustomerRefRepository } from '../persistence/customer-ref.repository';

/**
 * The customer read model: agreements name only customers the directory announced. The inbox
 * makes a redelivery a no-op; the newest save wins.
 */
export function registerDirectoryEventHandlers(consumer: EventConsumer): void {
  consumer.on(CustomerSaved, async (data, { manager }) => {
    await new CustomerRefRepository(manager).save(data);
  });
}
