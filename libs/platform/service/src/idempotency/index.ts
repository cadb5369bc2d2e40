export * from './idempotency-keys';
export * from './idempotency-migration';
