import { CreateReleaseTesting1764000000700 } from './1764000000700-CreateReleaseTesting';
import { CreateProductRefs1764000000710 } from './1764000000710-CreateProductRefs';
import { RequestVisibilityFacts1764000000760 } from './1764000000760-RequestVisibilityFacts';
import { CreatePersonRefs1764000000770 } from './1764000000770-CreatePersonRefs';

/** In order of their timestamps; the outbox, inbox and timers are added by the runtime. */
export const migrations: Function[] = [
  CreateReleaseTesting1764000000700,
  CreateProductRefs1764000000710,
  RequestVisibilityFacts1764000000760,
  CreatePersonRefs1764000000770,
];
