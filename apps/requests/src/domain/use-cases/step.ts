import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '@servicecenter/platform-errors';
import { event } from '@servicecenter/platform-events';
import { RequestReplied, type RequestFacts, type EventContract, type PayloadOf } from '@servicecenter/contracts';
import type { Customer, Language, Product } from '../../directory/domain/directory';
import { authorise, canRead, type Actor, type RequestPermission } from '../authorisation';
import type { ReplyKind, ReplySide, Visibility } from '../conversation';
import { assertAllowed, type RequestAction } from '../lifecycle';
import type { FollowUpPayload, RequestsTransaction, RequestsUnitOfWork } from '../ports';
import { copyRequest, type Request, type RequestStatus } from '../request';

export interface FollowUpSettings {
  /** Working days between the start of a wait and each reminder, e.g. [3, 3]. */
  reminderWorkingDays: number[];
  /** Working days after the last reminder until the request closes with NO_REPLY. */
  closeAfterWorkingDays: number;
}

export interface LifecycleDeps {
  uow: RequestsUnitOfWork;
  now: () => Date;
  addWorkingDays(from: Date, days: number): Date;
  followUp: FollowUpSettings;
  /** Told of every request registered, once its transaction committed (the registration metrics). */
  registered?: (request: Request) => void;
}

export interface Command {
  requestId: string;
  /** The version the caller saw; a different current version is a CONFLICT. */
  version?: number | null;
}

const WAITS: readonly RequestStatus[] = ['WAITING_FOR_CUSTOMER', 'SOLUTION_PROPOSED'];

/**
 * One change to one request inside a transaction: what every use case shares. It holds
 * the request as it was and as it becomes, writes replies and history, stages events with
 * the request's facts at that moment, and on `finish` keeps the wait bookkeeping and the
 * follow-up timers in line with the status.
 */
export class Step {
  readonly before: Request;
  private products = new Map<string, Product | null>();
  /** The request's customer as the directory knows it (null: not in the directory). */
  customer: Customer | null = null;

  constructor(
    readonly tx: RequestsTransaction,
    readonly request: Request,
    readonly now: Date,
    readonly actorId: string,
    private readonly deps: LifecycleDeps,
    isNew = false,
  ) {
    this.before = copyRequest(request);
    if (!isNew) {
      request.version += 1;
      request.updatedAt = now;
    }
  }

  async load(): Promise<this> {
    const [customer] = await this.tx.directory.customersByIds([this.request.customerId]);
    this.customer = customer ?? null;
    await this.product(this.request.productId);
    return this;
  }

  /**
   * The next change of the same request in the same transaction (an automatic step right
   * after registration): a new version, with the directory facts already loaded.
   */
  continueAs(actorId: string): Step {
    const next = new Step(this.tx, this.request, this.now, actorId, this.deps);
    next.customer = this.customer;
    next.products = this.products;
    return next;
  }

  get customerLanguage(): Language {
    return this.customer?.language ?? 'EN';
  }

  async product(id: string | null): Promise<Product | null> {
    if (!id) return null;
    if (!this.products.has(id)) {
      const [product] = await this.tx.directory.productsByIds([id]);
      this.products.set(id, product ?? null);
    }
    return this.products.get(id) ?? null;
  }

  facts(previousStatus: RequestStatus | null = this.before.status): RequestFacts {
    const r = this.request;
    return {
      requestId: r.id,
      number: r.number,
      type: r.type,
      customerId: r.customerId,
      productId: r.productId,
      productGroupId: r.productId ? (this.products.get(r.productId)?.productGroupId ?? null) : null,
      teamId: r.teamId,
      assigneeId: r.assigneeId,
      requestedPriority: r.requestedPriority,
      priority: r.priority,
      status: r.status,
      previousStatus,
      occurredAt: this.now.toISOString(),
      version: r.version,
    };
  }

  emit<C extends EventContract>(
    contract: C,
    extra: Omit<PayloadOf<C>, keyof RequestFacts>,
    previousStatus?: RequestStatus | null,
  ): void {
    // Object.assign onto the facts' fresh object, not `{ ...facts, ...extra }`: the same payload (same keys
    // in the same order), but V8 copies a spread of two objects key by key on its slow path, ≈ 7 µs
    // an event, the requests process's hottest own frame in an import (docs/performance.md, change 35).
    // why: facts plus extra is the payload of C, but TypeScript cannot prove facts & Omit<PayloadOf<C>, ...> is PayloadOf<C>.
    this.tx.publish(event(contract, this.request.id, Object.assign(this.facts(previousStatus), extra) as never));
  }

  async reply(fields: {
    side: ReplySide;
    visibility: Visibility;
    kind: ReplyKind;
    body: string;
    authorId?: string;
  }): Promise<string> {
    const id = randomUUID();
    const authorId = fields.authorId ?? this.actorId;
    const firstResponse =
      fields.side === 'SERVICE_CENTER' && fields.visibility === 'PUBLIC' && this.request.firstResponseAt === null;
    if (firstResponse) this.request.firstResponseAt = this.now;
    await this.tx.requests.addReply({
      id,
      requestId: this.request.id,
      authorId,
      side: fields.side,
      visibility: fields.visibility,
      kind: fields.kind,
      body: fields.body,
      createdAt: this.now,
    });
    this.emit(
      RequestReplied,
      { replyId: id, authorId, side: fields.side, visibility: fields.visibility, kind: fields.kind, firstResponse },
      this.request.status,
    );
    return id;
  }

  async history(
    action: string,
    details: Record<string, unknown> = {},
    fromStatus: RequestStatus | null = this.before.status,
  ): Promise<void> {
    await this.tx.requests.addHistory({
      id: randomUUID(),
      requestId: this.request.id,
      action,
      fromStatus,
      toStatus: this.request.status,
      actorId: this.actorId,
      at: this.now,
      details,
    });
  }

  /** Moves to a status, keeping the wait bookkeeping right. */
  moveTo(status: RequestStatus): void {
    const r = this.request;
    if (r.status === 'WAITING_FOR_CUSTOMER' && status !== 'WAITING_FOR_CUSTOMER' && r.waitingSince) {
      r.waitedMs += Math.max(0, this.now.getTime() - r.waitingSince.getTime());
      r.waitingSince = null;
      r.waitReason = null;
      r.resumeStatus = null;
      r.missingInformation = [];
    }
    if (status === 'WAITING_FOR_CUSTOMER' && r.status !== 'WAITING_FOR_CUSTOMER') {
      r.resumeStatus = r.status;
      r.waitingSince = this.now;
    }
    if (WAITS.includes(status) && r.status !== status) r.remindersSent = 0;
    r.status = status;
  }

  /** Persists the request and keeps its follow-up timer in line with its status. */
  async finish(isNew = false): Promise<Request> {
    const r = this.request;
    if (isNew) await this.tx.requests.insert(r);
    else await this.tx.requests.update(r, this.before.version);
    const entered = WAITS.includes(r.status) && (isNew || r.status !== this.before.status);
    if (entered) {
      const payload: FollowUpPayload = { waitStartedAt: this.now.toISOString(), step: 1 };
      await this.tx.timers.schedule(
        r.id,
        this.deps.addWorkingDays(
          this.now,
          this.deps.followUp.reminderWorkingDays[0] ?? this.deps.followUp.closeAfterWorkingDays,
        ),
        payload,
      );
    } else if (!isNew && WAITS.includes(this.before.status) && !WAITS.includes(r.status)) {
      await this.tx.timers.cancel(r.id);
    }
    return r;
  }
}

/**
 * The skeleton of every change by a person: lock the request, hide it from those who may
 * not read it (NOT_FOUND, so ids of other organisations reveal nothing), check the
 * version, the caller's right and the state machine, then let `work` change it.
 */
export async function act<T>(
  deps: LifecycleDeps,
  actor: Actor,
  correlationId: string,
  command: Command,
  /** A permission of the rights table, or a rule of its own for a step outside it (the survey). */
  rule: {
    permission: RequestPermission | ((actor: Actor, request: Request) => ReturnType<typeof authorise>);
    action: RequestAction | null;
  },
  work: (step: Step, role: ReturnType<typeof authorise>) => Promise<T>,
): Promise<T> {
  return deps.uow.run({ actor: actor.caller.id, correlationId }, async (tx) => {
    const request = await tx.requests.lock(command.requestId);
    if (!request || !canRead(actor, request)) throw notFound('Request', command.requestId);
    if (command.version != null && command.version !== request.version) {
      throw conflict(
        `Request ${request.number} is at version ${request.version}, not ${command.version}: reload it and try again`,
        { currentVersion: request.version },
      );
    }
    const role =
      typeof rule.permission === 'function'
        ? rule.permission(actor, request)
        : authorise(rule.permission, actor, request);
    if (rule.action) assertAllowed(request, rule.action);
    const step = await new Step(tx, request, deps.now(), actor.caller.id, deps).load();
    return work(step, role);
  });
}

/** Background steps (timers) act as the system, without a caller's rights. */
export async function actAsSystem<T>(
  deps: LifecycleDeps,
  tx: RequestsTransaction,
  requestId: string,
  actorId: string,
  work: (step: Step) => Promise<T>,
): Promise<T | undefined> {
  const request = await tx.requests.lock(requestId);
  if (!request) return undefined;
  const step = await new Step(tx, request, deps.now(), actorId, deps).load();
  return work(step);
}
