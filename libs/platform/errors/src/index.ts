export * from './domain-error';
export * from './validate';
export * from './infrastructure';
