import type { z } from 'zod';

/**
 * One event type: its versioned name, the topic it travels on, the payload schema shared
 * by producer and consumers, and the description that goes into the AsyncAPI document.
 */
export interface EventContract<S extends z.ZodType = z.ZodType> {
  type: string;
  topic: string;
  schema: S;
  description: string;
}

export type PayloadOf<C> = C extends EventContract<infer S> ? z.infer<S> : never;

export function defineEvent<S extends z.ZodType>(contract: EventContract<S>): EventContract<S> {
  if (!/^servicecenter\.[a-z-]+(\.[a-z-]+)+\.v\d+$/.test(contract.type)) {
    throw new Error(`event type ${contract.type} must look like servicecenter.<aggregate>.<event>.v<N>`);
  }
  return contract;
}
