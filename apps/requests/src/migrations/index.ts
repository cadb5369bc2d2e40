import { CreateRequests1764000000100 } from './1764000000100-CreateRequests';

/** In order of their timestamps. */
export const migrations = [CreateRequests1764000000100];
