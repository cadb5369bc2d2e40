export * from './metrics';
export * from './http';
export * from './graphql';
export * from './pipeline';
export * from './database';
export * from './kafka-lag';
