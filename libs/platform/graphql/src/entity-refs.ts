/**
 * References to the directory's entities, which the requests subgraph owns: a subgraph that
 * holds a person's or customer's id returns `{ __typename, id }` and the gateway asks the
 * requests subgraph for the rest (batched there, and subject to its read rules: null when the
 * caller may not see it). A system actor (`system:…`) is nobody: null.
 */
export interface EntityRef<T extends string> {
  __typename: T;
  id: string;
}

const ref = <T extends string>(typename: T, id: string | null | undefined): EntityRef<T> | null =>
  id && !id.startsWith('system:') ? { __typename: typename, id } : null;

export const personRef = (id: string | null | undefined) => ref('Person', id);
export const customerRef = (id: string | null | undefined) => ref('Customer', id);

/** A list of references; system actors and empty ids are left out. */
export const personRefs = (ids: readonly string[]) => ids.map(personRef).filter((r) => r !== null);
export const customerRefs = (ids: readonly string[]) => ids.map(customerRef).filter((r) => r !== null);
