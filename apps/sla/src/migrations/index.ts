import { CreateRequestSla1764000000200 } from './1764000000200-CreateRequestSla';
import { SlaClocks1764000000210 } from './1764000000210-SlaClocks';

/** In order of their timestamps. */
export const migrations = [CreateRequestSla1764000000200, SlaClocks1764000000210];
