import { CreateReportingReadModels1764000000400 } from './1764000000400-CreateReportingReadModels';

/** In order of their timestamps; the outbox, inbox and timers are added by the runtime. */
export const migrations: Function[] = [CreateReportingReadModels1764000000400];
