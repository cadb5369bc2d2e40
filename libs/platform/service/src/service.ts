import type { DocumentNode } from 'graphql';

/** What every service factory returns (used by its main.ts and by the all-in-one stack). */
export interface Service {
  readonly name: string;
  readonly typeDefs: DocumentNode;
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}
