export * from './context';
export * from './errors';
export * from './subgraph-server';
export * from './schema-file';
export * from './connection';
export * from './loaders';
export * from './supergraph';
export * from './scalars';
