import { z } from 'zod';
import { defineEvent } from '@servicecenter/events';
import { PrioritySchema } from './requests.events';
import { Topics } from './topics';

/**
 * A team manager approved a service manager's ask to change a request's priority. The
 * requests service applies it with the justification given here and reports back through
 * its own request.prioritised event.
 */
export const PriorityChangeApproved = defineEvent({
  type: 'servicecenter.escalation.priority-change-approved.v1',
  topic: Topics.escalations,
  description: "A team manager approved a priority change asked by a service manager; the requests service applies it to the request.",
  schema: z.object({
    askId: z.uuid(),
    requestId: z.uuid(),
    escalationId: z.uuid().nullable().describe('The customer escalation the ask belongs to, if any'),
    priority: PrioritySchema.describe('The new priority'),
    justification: z.string().describe('Recorded on the request, e.g. "agreed in escalation ESC-2026-0001: payroll run at risk"'),
    askedBy: z.string(),
    decidedBy: z.string(),
    decidedAt: z.iso.datetime({ offset: true }),
  }),
});

export const ESCALATION_EVENTS = [PriorityChangeApproved] as const;
