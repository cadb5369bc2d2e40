import type { EventContract } from './event-contract';
import { HandoverRequested } from './handovers.events';
import { REQUEST_EVENTS } from './requests.events';
import { SLA_EVENTS } from './sla.events';
import { ESCALATION_EVENTS } from './escalations.events';
import { DisruptionResolved } from './disruptions.events';
import { CUSTOMER_EVENTS } from './customers.events';
import { DIRECTORY_EVENTS } from './directory.events';
import { RELEASE_TESTING_EVENTS } from './release-testing.events';

/** Every published event type: the source of the AsyncAPI document. */
export const EVENT_CATALOGUE: readonly EventContract[] = [
  ...REQUEST_EVENTS,
  ...CUSTOMER_EVENTS,
  ...DIRECTORY_EVENTS,
  HandoverRequested,
  ...SLA_EVENTS,
  ...ESCALATION_EVENTS,
  DisruptionResolved,
  ...RELEASE_TESTING_EVENTS,
];
