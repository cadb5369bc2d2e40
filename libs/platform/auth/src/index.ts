export * from './roles';
export * from './caller';
export * from './caller-header';
export * from './jwt';
export * from './visibility';
export * from './jwt-settings';
export * from './raci';
