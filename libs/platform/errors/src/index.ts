export * from './domain-error';
export * from './validate';
export * from './transient';
export * from './input-rules';
