export * from './service-runtime';
export * from './transport-factory';
export * from './service';
export * from './run-standalone';
export * from './subgraph-service';
export * from './status';
export * from './idempotency';
