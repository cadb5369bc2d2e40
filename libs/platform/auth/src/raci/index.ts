export * from './types';
export * from './matrix';
