/** The service's own tables come with its issue; the outbox and inbox are added by the runtime. */
export const migrations: Function[] = [];
