export * from './topics';
export * from './requests.events';
export * from './handovers.events';
export * from './sla.events';
export * from './escalations.events';
export * from './customers.events';
export * from './catalogue';
export * from './asyncapi';
