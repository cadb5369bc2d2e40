import { randomUUID } from 'node:crypto';
import { hasRole } from '@servicecenter/platform-auth';
import { badInput, forbidden, validate } from '@servicecenter/platform-errors';
import {
  RequestClosed,
  RequestPrioritised,
  RequestRegistered,
  RequestReturnedToCustomer,
} from '@servicecenter/contracts';
import { conditionFor } from '../../directory/domain/directory';
import type { Actor } from '../authorisation';
import { authorise } from '../authorisation';
import { checkCompleteness } from '../completeness';
import type { RequestsTransaction } from '../ports';
import { newRequest, RegisterRequestInputSchema, type RegisterRequestInput, type Request } from '../request';
import { closingTextKey, standardText } from '../standard-texts';
import { Step, type LifecycleDeps } from './step';

/**
 * Intake steps 1 and 3 of DOMAIN.md: the customer (or the desk, taking a phone call)
 * registers a request; the automated completeness check runs once, and an incomplete
 * request goes back to the customer with the list of what is missing. An application
 * service of a customer without an Application Services contract is declined at once; one of
 * a kind of mutation the contract's conditions cover gets the conditions' priority (row 87).
 */
export async function registerRequest(
  deps: LifecycleDeps,
  actor: Actor,
  rawInput: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(RegisterRequestInputSchema, rawInput);
  const request = await deps.uow.run({ actor: actor.caller.id, correlationId }, (tx) =>
    register(deps, tx, actor, input, null),
  );
  deps.registered?.(request);
  return request;
}

/** Also used for "a different question": the new request continues a closed one. */
export async function register(
  deps: LifecycleDeps,
  tx: RequestsTransaction,
  actor: Actor,
  input: RegisterRequestInput,
  followUpOfId: string | null,
): Promise<Request> {
  const { caller } = actor;
  if (input.mutationKind && input.type !== 'APPLICATION_SERVICE')
    throw badInput('input.mutationKind', 'input.mutationKind is for requests of type APPLICATION_SERVICE only');
  const customerId = await customerFor(tx, actor, input.customerId);
  const product = input.productId ? (await tx.directory.productsByIds([input.productId]))[0] : undefined;
  if (input.productId && !product) throw badInput('input.productId', `Product ${input.productId} does not exist`);
  const requesterId = await requesterFor(tx, actor, customerId, input.requesterId);
  // A follow-up request (treatAsNewRequest) is registered under the right of that step (rows 4, 35, 54).
  if (followUpOfId === null)
    authorise('REGISTER', actor, {
      type: input.type,
      customerId,
      teamId: product?.teamId ?? null,
      handedOverAt: null,
      handoverTarget: null,
      productDevelopmentAskedAt: null,
    });

  const now = deps.now();
  const year = now.getUTCFullYear();
  const request = newRequest({
    id: randomUUID(),
    number: '', // drawn below, after the last read
    input,
    customerId,
    requesterId,
    teamId: product?.teamId ?? null,
    followUpOfId,
    now,
  });
  const step = await new Step(tx, request, now, caller.id, deps, true).load();
  // The year's counter row stays locked from here until the commit (gapless numbers), so the
  // number is drawn after every read, right before the writes.
  request.number = await tx.numbers.next(year);
  await step.finish(true);
  step.emit(
    RequestRegistered,
    { title: request.title, requesterId, registeredAt: now.toISOString(), followUpOf: followUpOfId },
    null,
  );
  await step.history(
    'REGISTER',
    {
      requestedPriority: request.requestedPriority,
      followUpOf: followUpOfId,
      ...(request.type === 'APPLICATION_SERVICE' ? { mutationKind: request.category } : {}),
    },
    null,
  );

  // The automatic intake checks change the request after registration, as separate steps.
  if (request.type === 'APPLICATION_SERVICE' && !step.customer?.applicationServicesContract) {
    const decline = step.continueAs('system:requests');
    decline.moveTo('CLOSED');
    request.completionReason = 'DECLINED';
    request.closedAt = now;
    const text = standardText(decline.customerLanguage, closingTextKey('DECLINED'), {
      number: request.number,
      title: request.title,
    });
    await decline.reply({
      side: 'SYSTEM',
      visibility: 'PUBLIC',
      kind: 'CLOSING_TEXT',
      body: `${text}\n${decline.customerLanguage === 'NL' ? 'Uw organisatie heeft geen Application Services-contract.' : 'Your organisation has no Application Services contract.'}`,
    });
    decline.emit(RequestClosed, {
      completionReason: 'DECLINED',
      automatic: true,
      closedAt: now.toISOString(),
      registeredAt: request.registeredAt.toISOString(),
      continuedAs: null,
    });
    await decline.history('CLOSE', { reason: 'DECLINED', automatic: true, why: 'no Application Services contract' });
    return decline.finish();
  }
  // Row 87: a kind of mutation the contract's conditions cover gets their priority; any other
  // kind is prioritised by the desk (prioritiseRequest), as before.
  const condition =
    request.type === 'APPLICATION_SERVICE' && step.customer ? conditionFor(step.customer, request.category) : undefined;
  let last = step;
  if (condition) {
    last = step.continueAs('system:requests');
    request.priority = condition.priority;
    request.priorityJustification = `Priority ${condition.priority} by the Application Services conditions (mutationKind ${condition.mutationKind})`;
    last.emit(RequestPrioritised, {
      previousPriority: null,
      justification: request.priorityJustification,
      category: request.category,
    });
    await last.history('PRIORITISE', {
      from: null,
      to: request.priority,
      justification: request.priorityJustification,
      category: request.category,
      automatic: true,
    });
    await last.finish();
  }
  const missing = checkCompleteness(request);
  if (missing.length > 0) {
    const back = last.continueAs('system:requests');
    back.moveTo('WAITING_FOR_CUSTOMER');
    request.waitReason = 'INCOMPLETE_REGISTRATION';
    request.missingInformation = missing.map((m) => m.message);
    const body = standardText(back.customerLanguage, 'RETURNED_INCOMPLETE', {
      number: request.number,
      title: request.title,
      missing: request.missingInformation.map((m) => `- ${m}`).join('\n'),
    });
    await back.reply({ side: 'SYSTEM', visibility: 'PUBLIC', kind: 'INFORMATION_REQUEST', body });
    back.emit(RequestReturnedToCustomer, { reason: 'INCOMPLETE_REGISTRATION', missing: request.missingInformation });
    await back.history('REQUEST_INFORMATION', { automatic: true, missing: missing.map((m) => m.field) });
    return back.finish();
  }
  return request;
}

async function customerFor(
  tx: RequestsTransaction,
  actor: Actor,
  requested: string | null | undefined,
): Promise<string> {
  const { caller } = actor;
  if (hasRole(caller, 'customer')) {
    if (!caller.customerId) throw forbidden('Your account is not linked to a customer organisation');
    if (requested && requested !== caller.customerId)
      throw forbidden('Customers register requests for their own organisation only');
    return caller.customerId;
  }
  if (!requested)
    throw badInput('input.customerId', 'input.customerId is required when the desk registers on behalf of a customer');
  const [customer] = await tx.directory.customersByIds([requested]);
  if (!customer) throw badInput('input.customerId', `Customer ${requested} does not exist`);
  return requested;
}

async function requesterFor(
  tx: RequestsTransaction,
  actor: Actor,
  customerId: string,
  requested: string | null | undefined,
): Promise<string> {
  if (!requested || hasRole(actor.caller, 'customer')) return actor.caller.id;
  const [person] = await tx.directory.peopleByIds([requested]);
  if (!person || person.customerId !== customerId)
    throw badInput('input.requesterId', `${requested} is not a user of customer ${customerId}`);
  return requested;
}
