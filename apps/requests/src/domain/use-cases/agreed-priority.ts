import { RequestPrioritised } from '@servicecenter/contracts';
import { allowedActions } from '../lifecycle';
import type { RequestsTransaction } from '../ports';
import type { Priority } from '../request';
import { actAsSystem, type LifecycleDeps } from './step';

export interface AgreedPriority {
  askId: string;
  requestId: string;
  priority: Priority;
  justification: string;
  decidedBy: string;
}

/**
 * A priority change a team manager approved in the escalations service (DOMAIN.md "Service
 * management": the service manager asks, the team manager changes it). Applied as the team
 * manager, with the justification "agreed in escalation …". A request that can no longer be
 * prioritised (closed) keeps its priority; the history says why nothing changed.
 */
export async function applyAgreedPriority(
  deps: LifecycleDeps,
  tx: RequestsTransaction,
  agreed: AgreedPriority,
): Promise<void> {
  await actAsSystem(deps, tx, agreed.requestId, agreed.decidedBy, async (step) => {
    const r = step.request;
    if (!allowedActions(r.type, step.before.status).includes('PRIORITISE')) {
      await step.history('PRIORITISE_SKIPPED', {
        askId: agreed.askId,
        reason: `not possible in ${step.before.status}`,
      });
      await step.finish();
      return;
    }
    const previousPriority = r.priority;
    r.priority = agreed.priority;
    r.priorityJustification = agreed.justification;
    step.emit(RequestPrioritised, { previousPriority, justification: r.priorityJustification, category: r.category });
    await step.history('PRIORITISE', {
      from: previousPriority,
      to: r.priority,
      justification: r.priorityJustification,
      askId: agreed.askId,
    });
    await step.finish();
  });
}
