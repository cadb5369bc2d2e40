import { CreateRequestSla1764000000200 } from './1764000000200-CreateRequestSla';

export const migrations = [CreateRequestSla1764000000200];
