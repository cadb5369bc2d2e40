export * from './types';
export * from './matrix';
export * from './rights';
