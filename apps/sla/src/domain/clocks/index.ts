export * from './agreement';
export * from './sla-clock';
export * from './request-clocks';
export * from './agreement-overrides';
