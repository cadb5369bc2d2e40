import { RequestHandlingStarted, RequestSolutionProposed } from '@servicecenter/contracts';
import type { RequestsTransaction } from '../ports';
import type { RequestStatus } from '../request';
import { resume } from './intake';
import { actAsSystem, type LifecycleDeps } from './step';

export interface ResolvedDisruption {
  number: string;
  cause: string;
  solution: string;
  linkedRequestIds: string[];
  resolvedBy: string;
}

/** Where a linked request is still being worked on and can receive the disruption's solution. */
const BEFORE_HANDLING: readonly RequestStatus[] = ['REGISTERED', 'ACCEPTED', 'REOPENED'];
const RECEIVES: readonly RequestStatus[] = [...BEFORE_HANDLING, 'WAITING_FOR_CUSTOMER', 'IN_HANDLING', 'HANDED_OVER'];

/**
 * DOMAIN.md "Disruption communication": when a disruption notice is resolved, the linked
 * requests get the solution and cause, wait for the customer's confirmation, and close (the
 * usual reminders and NO_REPLY apply). A request already closed, already waiting on a
 * proposed solution, or an application service (a mutation, not a disruption) is left as is.
 */
export async function proposeDisruptionSolution(
  deps: LifecycleDeps,
  tx: RequestsTransaction,
  resolved: ResolvedDisruption,
): Promise<void> {
  for (const requestId of resolved.linkedRequestIds) {
    await actAsSystem(deps, tx, requestId, resolved.resolvedBy, async (step) => {
      const r = step.request;
      if (!RECEIVES.includes(r.status) || r.type === 'APPLICATION_SERVICE') {
        await step.history('DISRUPTION_SOLUTION_SKIPPED', { notice: resolved.number, status: r.status });
        await step.finish();
        return;
      }
      if (r.status === 'WAITING_FOR_CUSTOMER') await resume(step);
      if (BEFORE_HANDLING.includes(r.status)) {
        const from = r.status;
        step.moveTo('IN_HANDLING');
        step.emit(RequestHandlingStarted, {}, from);
        await step.history('START_HANDLING', { notice: resolved.number }, from);
      }
      const from = r.status;
      step.moveTo('SOLUTION_PROPOSED');
      r.solution = `Disruption ${resolved.number} is resolved.\nCause: ${resolved.cause}\nSolution: ${resolved.solution}`;
      r.solutionKind = 'SOLUTION';
      r.solutionArticleId = null;
      r.solutionProposedAt = step.now;
      await step.reply({ side: 'SYSTEM', visibility: 'PUBLIC', kind: 'SOLUTION', body: r.solution });
      step.emit(RequestSolutionProposed, { solutionKind: 'SOLUTION', articleId: null, mutationExecutedBy: null }, from);
      await step.history('PROPOSE_SOLUTION', { notice: resolved.number }, from);
      await step.finish();
    });
  }
}
