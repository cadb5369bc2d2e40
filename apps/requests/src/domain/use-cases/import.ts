import { customerScope, hasRole, type Caller } from '@servicecenter/platform-auth';
import { DomainError, ErrorCode, badInput, forbidden, validate } from '@servicecenter/platform-errors';
import type { NewEvent } from '@servicecenter/platform-events';
import { z } from 'zod';
import type { Actor } from '../authorisation';
import type { ImportedKey, RequestsTransaction } from '../ports';
import type { Request } from '../request';
import { answerSurvey, bookTime } from './bookings';
import { closeRequest, followUp, treatAsNewRequest } from './closing';
import {
  addReply,
  executeMutation,
  handOverRequest,
  linkChange,
  proposeSolution,
  respondToSolution,
  startHandling,
} from './handling';
import { cachedDirectory, ImportBuffer, readAhead, type DirectoryMentions } from './import-buffer';
import { ProvisionalNumbers } from './import-numbers';
import {
  acceptRequest,
  assignRequest,
  prioritiseRequest,
  reopenRequest,
  requestInformation,
  sendInHandlingNotice,
  updateRequest,
} from './intake';
import { registerRequest } from './register';
import type { LifecycleDeps } from './step';

/** A lifecycle step replayed from JSON: it validates its raw input as the GraphQL mutation does. */
type Change = (deps: LifecycleDeps, actor: Actor, raw: unknown, correlationId: string) => Promise<unknown>;

/** The lifecycle mutations a history may consist of (GraphQL enum `ImportedStepMutation`), after its registration. */
const STEPS: Record<string, Change> = {
  UPDATE_REQUEST: updateRequest,
  REQUEST_INFORMATION: requestInformation,
  ASSIGN_REQUEST: assignRequest,
  PRIORITISE_REQUEST: prioritiseRequest,
  SEND_IN_HANDLING_NOTICE: sendInHandlingNotice,
  ACCEPT_REQUEST: acceptRequest,
  START_HANDLING: startHandling,
  HAND_OVER_REQUEST: handOverRequest,
  LINK_CHANGE: linkChange,
  PROPOSE_SOLUTION: proposeSolution,
  EXECUTE_MUTATION: executeMutation,
  RESPOND_TO_SOLUTION: respondToSolution,
  CLOSE_REQUEST: closeRequest,
  REOPEN_REQUEST: reopenRequest,
  ADD_REPLY: addReply,
  BOOK_TIME: bookTime,
  ANSWER_SURVEY: answerSurvey,
  // Registers a second request, the follow-up for the different question: it ends the history.
  TREAT_AS_NEW_REQUEST: treatAsNewRequest,
};
const ENDS_HISTORY = 'TREAT_AS_NEW_REQUEST';

/** Histories per call: one transaction each, so a call stays short (see docs/import.md). */
export const MAX_IMPORTED_HISTORIES = 100;
const MAX_STEPS = 500;

/** GraphQL's DateTime arrives as a Date; a direct call may pass an ISO string. */
const instant = z.coerce.date({ message: 'must be an instant (ISO 8601 with an offset)' });
const personId = z.string().trim().min(1).max(100);
const fields = z.record(z.string(), z.unknown());

export const ImportRequestsInputSchema = z.object({
  requests: z
    .array(
      z.object({
        importKey: z.string().trim().min(1, 'must not be empty').max(200),
        registeredAt: instant,
        registeredBy: personId,
        registration: fields,
        steps: z
          .array(
            z.object({
              at: instant,
              by: personId,
              mutation: z.enum(Object.keys(STEPS) as [string, ...string[]]),
              input: fields.nullish(),
            }),
          )
          .max(MAX_STEPS, `at most ${MAX_STEPS} steps per history`),
      }),
    )
    .min(1, 'at least one history')
    .max(MAX_IMPORTED_HISTORIES, `at most ${MAX_IMPORTED_HISTORIES} histories per call`)
    .refine((list) => new Set(list.map((h) => h.importKey)).size === list.length, 'every importKey once per call'),
});

export interface ImportResult {
  imported: Request[];
  /** Histories imported before (same import key): left as they are, with the follow-up they created. */
  skipped: { importKey: string; requestId: string; continuedRequestId: string | null }[];
  /** The follow-ups the call's TREAT_AS_NEW_REQUEST steps registered, in the order of the histories. */
  continued: Request[];
}

/**
 * Imports whole request histories from the tool a desk used before (or the generator's
 * history): each history is replayed through the same use cases as the live mutations, step
 * by step at its own historical instant and as its own historical person, so the same rules
 * apply (rights, the state machine, completeness, first response, waits, SLA-relevant facts)
 * and the same events are published with the historical times. Only the writes differ: they
 * are buffered in memory and written with multi-row statements in one transaction for the
 * whole call, so a call is all or nothing. An import key imported before is skipped, so a
 * rerun of an interrupted import adds nothing twice. Only an admin may import.
 */
export async function importRequests(
  deps: LifecycleDeps,
  actor: Actor,
  rawInput: unknown,
  correlationId: string,
): Promise<ImportResult> {
  if (!hasRole(actor.caller, 'admin')) throw forbidden('Only an admin may import request histories');
  const input = validate(ImportRequestsInputSchema, rawInput);
  endsOnlyLast(input.requests);
  const now = deps.now();
  return deps.uow.run({ actor: actor.caller.id, correlationId }, async (tx) => {
    await tx.imports.liftTimeLimits();
    const known = await tx.imports.importedKeys(input.requests.map((h) => h.importKey));
    const buffer = new ImportBuffer(tx.requests);
    const directory = cachedDirectory(tx.directory);
    await readAhead(directory, mentionsOf(input.requests.filter((h) => !known.has(h.importKey))));
    // Numbers and events wait for the end of the replay: the numbers are drawn last (see
    // ProvisionalNumbers), and the events quote them.
    const numbers = new ProvisionalNumbers();
    const events: NewEvent[] = [];
    const inMemory: RequestsTransaction = {
      ...tx,
      requests: buffer,
      timers: buffer.timers,
      directory,
      numbers,
      publish: (...staged) => void events.push(...staged),
    };
    const actors = new Map<string, Promise<Actor>>();
    const actorOf = (id: string, field: string) => {
      let found = actors.get(id);
      if (!found) {
        found = (async () => {
          const [person] = await directory.peopleByIds([id]);
          if (!person) throw badInput(field, `${id} is not a person of the directory`);
          const caller: Caller = {
            id: person.id,
            name: person.name,
            roles: person.roles,
            ...(person.customerId ? { customerId: person.customerId } : {}),
          };
          // As for a live caller: the visibility rule's relations (service manager of, CSM of), read in
          // the import's own transaction (never a second pooled connection).
          return { caller, person, relationCustomerIds: await tx.imports.relationCustomerIds(customerScope(caller)) };
        })();
        actors.set(id, found);
      }
      return found;
    };

    const imported: Request[] = [];
    const continued: Request[] = [];
    const keys: ImportedKey[] = [];
    const skipped: ImportResult['skipped'] = [];
    for (const [h, history] of input.requests.entries()) {
      const existing = known.get(history.importKey);
      if (existing) {
        skipped.push(existing);
        continue;
      }
      const path = `input.requests.${h}`;
      numbers.drawingFor(history.importKey);
      let at = history.registeredAt;
      if (at > now)
        throw badInput(`${path}.registeredAt`, `${history.importKey}: a history cannot start in the future`);
      // Each step runs as a use case of its own, at its own instant, inside this one transaction.
      const stepDeps = (when: Date): LifecycleDeps => ({
        ...deps,
        now: () => when,
        uow: { run: (_meta, work) => work(inMemory) },
      });
      const request = (await replayed(numbers, history.importKey, `${path}.registration`, async () =>
        registerRequest(
          stepDeps(at),
          await actorOf(history.registeredBy, `${path}.registeredBy`),
          history.registration,
          correlationId,
        ),
      )) as Request;
      // Reminders and the automatic closing of a wait happen in between, when they fall due, as live.
      const followUpsUntil = async (requestId: string, until: Date) => {
        for (let due = buffer.takeDueFollowUp(requestId, until); due; due = buffer.takeDueFollowUp(requestId, until)) {
          await followUp(stepDeps(due.dueAt), inMemory, requestId, due.payload);
        }
      };
      let continuedRequestId: string | null = null;
      for (const [s, step] of history.steps.entries()) {
        const stepPath = `${path}.steps.${s}`;
        const next = step.at;
        if (next < at)
          throw badInput(`${stepPath}.at`, `${history.importKey}: step ${s + 1} is earlier than the step before it`);
        if (next > now) throw badInput(`${stepPath}.at`, `${history.importKey}: step ${s + 1} is in the future`);
        at = next;
        await followUpsUntil(request.id, next);
        const by = await actorOf(step.by, `${stepPath}.by`);
        const done = await replayed(numbers, history.importKey, `${stepPath}.input`, () =>
          STEPS[step.mutation](stepDeps(next), by, { ...step.input, requestId: request.id }, correlationId),
        );
        if (step.mutation === ENDS_HISTORY) continuedRequestId = (done as { created: Request }).created.id;
      }
      await followUpsUntil(request.id, now);
      // The follow-up lives on from its registration as a live one would: its wait (an incomplete
      // registration) is followed up too.
      if (continuedRequestId) await followUpsUntil(continuedRequestId, now);
      keys.push({ importKey: history.importKey, requestId: request.id, continuedRequestId });
    }
    const records = buffer.records();
    const byId = new Map(records.requests.map((r) => [r.id, r]));
    for (const key of keys) {
      imported.push(byId.get(key.requestId) as Request);
      if (key.continuedRequestId) continued.push(byId.get(key.continuedRequestId) as Request);
    }
    for (const timer of buffer.pendingFollowUps())
      await tx.timers.schedule(timer.requestId, timer.dueAt, timer.payload);
    // The years' counter rows are locked from the draw to the commit: only the writes follow.
    const quoted = numbers.find([records, events.map((e) => e.data)]);
    const counts = numbers.counts();
    if (counts.size > 0) numbers.fill(quoted, await tx.imports.reserveNumbers(counts));
    tx.publish(...events);
    await tx.imports.insertImported(records, keys, now);
    return { imported, skipped, continued };
  });
}

/**
 * TREAT_AS_NEW_REQUEST closes the imported request and registers another: the history ends
 * there (what happened to the new request afterwards is no step of this one). A step after it
 * rejects the call before anything is replayed.
 */
function endsOnlyLast(histories: z.infer<typeof ImportRequestsInputSchema>['requests']): void {
  for (const [h, history] of histories.entries()) {
    const end = history.steps.findIndex((step) => step.mutation === ENDS_HISTORY);
    if (end >= 0 && end < history.steps.length - 1)
      throw badInput(
        `input.requests.${h}.steps.${end + 1}`,
        `${history.importKey}: step ${end + 2} follows ${ENDS_HISTORY} (step ${end + 1}), which ends the history`,
      );
  }
}

/** The directory ids the histories' input names (registration and step fields as the use cases read them). */
function mentionsOf(histories: z.infer<typeof ImportRequestsInputSchema>['requests']): DirectoryMentions {
  const people: unknown[] = [];
  const customers: unknown[] = [];
  const products: unknown[] = [];
  const teams: unknown[] = [];
  for (const h of histories) {
    people.push(h.registeredBy, h.registration['requesterId']);
    customers.push(h.registration['customerId']);
    products.push(h.registration['productId']);
    for (const step of h.steps) {
      people.push(step.by, step.input?.['assigneeId']);
      products.push(step.input?.['productId']);
      teams.push(step.input?.['teamId']);
    }
  }
  return { people, customers, products, teams };
}

/**
 * A step the process does not allow (or bad step input) rejects the whole call as
 * BAD_USER_INPUT, naming the history and the step; the step's own error code stays in
 * `reason`. Anything else (a database outage) passes through unchanged.
 */
async function replayed<T>(
  numbers: ProvisionalNumbers,
  importKey: string,
  field: string,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const inner =
      typeof error.details['field'] === 'string' ? String(error.details['field']).replace(/^input\.?/, '') : '';
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `History ${importKey}: ${numbers.readable(error.message)}`, {
      ...error.details,
      field: inner ? `${field}.${inner}` : field,
      reason: error.code,
    });
  }
}
