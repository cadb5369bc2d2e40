import { CustomerSaved, DirectoryPersonSaved, DirectoryProductSaved } from '@servicecenter/contracts';
import { event } from '@servicecenter/platform-events';
import type { Customer, Person, Product } from './domain/directory';

/** What an admin write announces, as the event it becomes (also written by the backfill migration). */
export const customerSavedEvent = (customer: Customer, savedAt: Date) =>
  event(CustomerSaved, customer.id, {
    customerId: customer.id,
    name: customer.name,
    serviceManagerId: customer.serviceManagerId,
    customerSuccessManagerId: customer.customerSuccessManagerId,
    applicationServicesContract: customer.applicationServicesContract,
    applicationServicesConditions: customer.applicationServicesConditions.map((c) => ({ ...c })),
    baseBundleHours: customer.baseBundleHours,
    creditBundleHours: customer.creditBundleHours,
    language: customer.language,
    savedAt: savedAt.toISOString(),
  });

export const productSavedEvent = (product: Product, savedAt: Date) =>
  event(DirectoryProductSaved, product.id, {
    productId: product.id,
    name: product.name,
    productGroupId: product.productGroupId,
    teamId: product.teamId,
    savedAt: savedAt.toISOString(),
  });

export const personSavedEvent = (person: Person, savedAt: Date) =>
  event(DirectoryPersonSaved, person.id, {
    personId: person.id,
    roles: [...person.roles],
    customerId: person.customerId,
    teamIds: [...person.teamIds],
    savedAt: savedAt.toISOString(),
  });
