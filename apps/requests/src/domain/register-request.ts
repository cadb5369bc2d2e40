import { randomUUID } from 'node:crypto';
import type { Caller } from '@servicecenter/auth';
import { validate } from '@servicecenter/errors';
import { event } from '@servicecenter/events';
import { RequestRegistered } from '@servicecenter/contracts';
import { customerForRegistration } from './access';
import { formatRequestNumber, newRequest, RegisterRequestInputSchema, type Request } from './request';
import type { RequestsUnitOfWork } from './ports';

/** Intake step 1 of DOMAIN.md: the customer (or the desk) registers a request. */
export async function registerRequest(
  deps: { uow: RequestsUnitOfWork; now: () => Date },
  caller: Caller,
  rawInput: unknown,
  correlationId: string,
): Promise<Request> {
  const input = validate(RegisterRequestInputSchema, rawInput);
  const customerId = customerForRegistration(caller, input.customerId);
  const now = deps.now();
  return deps.uow.run({ actor: caller.id, correlationId }, async (tx) => {
    const counter = await tx.requests.nextNumber(now.getUTCFullYear());
    const request = newRequest({
      id: randomUUID(),
      number: formatRequestNumber(now.getUTCFullYear(), counter),
      input,
      customerId,
      requesterId: caller.id,
      now,
    });
    await tx.requests.insert(request);
    tx.publish(
      event(RequestRegistered, request.id, {
        requestId: request.id,
        number: request.number,
        type: request.type,
        title: request.title,
        customerId: request.customerId,
        requesterId: request.requesterId,
        requestedPriority: request.requestedPriority,
        registeredAt: request.registeredAt.toISOString(),
      }),
    );
    return request;
  });
}
