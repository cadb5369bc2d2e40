export * from './domain-error';
export * from './validate';
export * from './infrastructure';
export * from './input-rules';
