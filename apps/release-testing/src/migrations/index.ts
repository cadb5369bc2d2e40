import { CreateReleaseTesting1764000000700 } from './1764000000700-CreateReleaseTesting';

/** In order of their timestamps; the outbox, inbox and timers are added by the runtime. */
export const migrations: Function[] = [CreateReleaseTesting1764000000700];
