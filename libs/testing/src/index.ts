export * from './test-database';
export * from './test-clock';
export * from './wait-for';
export * from './graph-client';
export * from './infrastructure';
export * from './metrics-scrape';
export * from './binaries';
export * from './random';
