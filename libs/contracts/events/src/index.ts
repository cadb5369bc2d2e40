export * from './topics';
export * from './requests.events';
export * from './catalogue';
export * from './asyncapi';
