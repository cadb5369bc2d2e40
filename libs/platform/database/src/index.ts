export * from './embedded-postgres';
export * from './database-url';
export * from './data-source';
export * from './sql-where';
export * from './row-set';
export * from './pool-guard';
export * from './row-count';
