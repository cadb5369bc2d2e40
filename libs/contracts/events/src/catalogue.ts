import type { EventContract } from '@servicecenter/events';
import { RequestRegistered } from './requests.events';

/** Every published event type: the source of the AsyncAPI document. */
export const EVENT_CATALOGUE: readonly EventContract[] = [RequestRegistered];
