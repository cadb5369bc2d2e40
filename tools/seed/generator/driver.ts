import { SeedError, type SeedClient, type SeedLog } from '../client';
import { MUTATION_INPUT } from '../steps';
import {
  disruptionTrack,
  earliestFrom,
  releaseTracks,
  requestTrack,
  truncate,
  type Plan,
  type TimedStep,
  type Track,
  type UatMutation,
} from './stories';
import { HOUR, addWorking } from './working-time';

/** The services' clock while generating in-process: moved forward (never back) to each step's moment. */
export class MovingClock {
  private t: number;
  constructor(start: number) {
    this.t = start;
  }
  readonly now = (): Date => new Date(this.t);
  get time(): number {
    return this.t;
  }
  advanceTo(t: number): void {
    if (t > this.t) this.t = t;
  }
}

export interface DriveOptions {
  client: SeedClient;
  plan: Plan;
  /** In-process: the stack's clock, moved along the timeline. Without it every step happens now. */
  clock?: MovingClock;
  concurrency: number;
  /** How far (simulated time) the clock may run ahead of the oldest step still in flight. */
  maxSkewMs: number;
  /** Requests that already exist (resume): their tracks are not played. */
  skip?: (index: number) => boolean;
  /** Products whose release testing exists (resume): their release tracks are not played. */
  skipReleasesOf?: (productIndex: number) => boolean;
  log: SeedLog;
  progressEveryMs?: number;
  /** Backpressure: the events not yet delivered to the read models; no new steps start while above maxBacklog. */
  backlog?: () => Promise<number>;
  maxBacklog?: number;
  /**
   * Import the histories that need no other service (no escalation, no disruption, no step
   * waiting for another service's event) with `importRequests`
   * after the live play, `IMPORT_BATCH` per call, instead of playing them step by step.
   */
  importHistories?: boolean;
  /**
   * With `importHistories`: do not import at the end of the live play but hand the indices
   * back in `DriveResult.toImport` (the caller imports them with `importAll`, e.g. into the
   * services started as separate processes).
   */
  deferImport?: boolean;
  /** `importRequests` calls in flight at once (default 2). */
  importConcurrency?: number;
  /**
   * In-process: fires the services' due timers now. With it the clock also ticks every
   * two working hours and fires them, so reminders and automatic closing happen on time even where
   * few steps move the clock (an imported desk plays few live steps).
   */
  runTimers?: () => Promise<void>;
}

export interface DriveResult {
  /** Request tracks played (registered by this run), imported ones included. */
  requests: number;
  /** Of those, imported whole (`importRequests`). */
  imported: number;
  /** Time spent importing (after the live play). */
  importMs: number;
  mutations: number;
  skipped: number;
  escalations: number;
  disruptions: number;
  /** Release decisions recorded (UAT), by outcome. */
  releaseDecisions: Record<string, number>;
  /** Tracks stopped by an error the graph answered (first few kept). */
  diverged: number;
  /** Steps that waited for another service's read model (e.g. escalations learning of a new request). */
  waits: number;
  errors: string[];
  /** Where the time went: per mutation, count and summed latency. */
  latency: Record<string, { count: number; totalMs: number }>;
  durationMs: number;
  /** Time spent paused by backpressure (the read models catching up). */
  pausedMs: number;
  /** Where the live play's time went (in-process with a clock): see `LiveFigures`. */
  live: LiveFigures;
  /** The track of each request played, by index (for the spec's expectations). */
  tracks?: Map<number, Track>;
  /** With `deferImport`: the indices of the histories still to import. */
  toImport?: number[];
}

/**
 * Where the live play's wall time went: a step is in flight, a retry sleeps, the clock skew or
 * the backpressure holds the next step back, a tick fires the timers.
 */
export interface LiveFigures {
  /** Summed over the steps in flight: time spent sleeping before a retry, by reason. */
  retrySleepMs: { lagging: number; awaitingEvent: number; retryable: number };
  /** Steps retried at least once, by mutation. */
  retriedSteps: Record<string, number>;
  /** Ticks played (the services' due timers fired) and the wall time they took. */
  ticks: number;
  tickMs: number;
  /** Wall time with a free slot and a step waiting, held back by `maxSkewMs`. */
  skewHeldMs: number;
  /** Wall time with no step in flight. */
  idleMs: number;
  /** Steps in flight on average over the play (time-weighted). */
  meanInFlight: number;
}

interface State {
  track: Track;
  next: number;
  requestId?: string;
  escalationId?: string;
  at: number;
  /** Retrying until another service has caught up: does not hold the clock back. */
  waiting?: boolean;
  /** The request's id once registered (an escalation track waits for it). */
  registered?: Deferred<string>;
  /** An escalation track: the request track it belongs to. */
  parent?: State;
  /** A release-testing track: ids its earlier steps got back, by the steps' `saveAs` (and `case0`… of a test plan). */
  vars?: Map<string, string>;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

class Heap {
  private items: State[] = [];
  get size() {
    return this.items.length;
  }
  peek(): State | undefined {
    return this.items[0];
  }
  push(s: State) {
    const a = this.items;
    a.push(s);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].at <= s.at) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = s;
  }
  pop(): State | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        const mAt = () => (m === i ? last.at : a[m].at);
        if (l < a.length && a[l].at < mAt()) m = l;
        if (r < a.length && a[r].at < mAt()) m = r;
        if (m === i) break;
        a[i] = a[m];
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}

/** What each release-testing mutation gives back: the ids later steps refer to. */
const UAT_SELECTION: Record<UatMutation, string> = {
  planRelease: 'release { id }',
  createTestPlan: 'testPlan { id cases { id } }',
  startTestRun: 'testRun { id }',
  recordTestResult: 'result { caseId }',
  reportDefect: 'defect { id }',
  resolveDefect: 'defect { id }',
  completeTestRun: 'testRun { id }',
  recordReleaseDecision: 'release { id }',
};

const RETRYABLE = new Set([
  'NETWORK',
  'HTTP_502',
  'HTTP_503',
  'HTTP_504',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
]);
/** The escalations subgraph knows requests from events: right after registration it may not have them yet. */
const LAGGING = new Set(['NOT_FOUND', 'BAD_USER_INPUT']);
/** A step that waits for another service's event to move the request (a disruption's solution). */
const AWAITING_EVENT = new Set(['INVALID_TRANSITION']);
const NONE = new Set<string>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Plays every track in the order of its steps' moments, `concurrency` steps at a time, one
 * step per track at a time. Request tracks are made lazily in index order (memory stays
 * flat at a million requests). With a clock, the clock moves to each step's moment before
 * the step is sent, and a step is held back while it is more than `maxSkewMs` ahead of the
 * oldest step in flight, so concurrent steps happen at (nearly) their own moment.
 */
export async function drive(options: DriveOptions, keepTracks = false): Promise<DriveResult> {
  const { client, plan, clock, log } = options;
  const started = Date.now();
  const result: DriveResult = {
    requests: 0,
    imported: 0,
    importMs: 0,
    mutations: 0,
    skipped: 0,
    escalations: 0,
    disruptions: 0,
    releaseDecisions: {},
    diverged: 0,
    waits: 0,
    errors: [],
    latency: {},
    durationMs: 0,
    pausedMs: 0,
    live: {
      retrySleepMs: { lagging: 0, awaitingEvent: 0, retryable: 0 },
      retriedSteps: {},
      ticks: 0,
      tickMs: 0,
      skewHeldMs: 0,
      idleMs: 0,
      meanInFlight: 0,
    },
    tracks: keepTracks ? new Map() : undefined,
  };
  const live = result.live;
  /**
   * Time-weighted steps in flight and the skew hold: `mark` closes the span since the last mark
   * (with the steps in flight during it); `skewHeld` says whether the pump's last pass held a step back.
   */
  let lastMark = started;
  let inFlightMs = 0;
  let skewHeld = false;
  const mark = (inFlight: number) => {
    const now = Date.now();
    const span = now - lastMark;
    inFlightMs += span * inFlight;
    if (inFlight === 0) live.idleMs += span;
    if (skewHeld) live.skewHeldMs += span;
    lastMark = now;
  };
  const heap = new Heap();
  const inflight = new Set<State>();
  const notices = new Map<
    number,
    { promise: Promise<string>; resolve: (id: string) => void; reject: (e: Error) => void }
  >();
  /** A disruption is resolved only once its requests are linked and taken in (whatever the clock skew). */
  const intakes = new Map<number, { pending: Set<number>; promise: Promise<void>; resolve: () => void }>();
  const intakeDone = (index: number) => {
    const member = plan.members.get(index);
    const wait = member && intakes.get(member.disruption);
    if (!wait || !wait.pending.delete(index)) return;
    if (wait.pending.size === 0) wait.resolve();
  };
  for (const d of plan.disruptions) {
    let done!: () => void;
    const ready = new Promise<void>((res) => (done = res));
    intakes.set(d.index, {
      pending: new Set(Array.from({ length: d.memberCount }, (_, j) => d.anchor + j)),
      promise: ready,
      resolve: done,
    });
    let resolve!: (id: string) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined);
    notices.set(d.index, { promise, resolve, reject });
    const track = truncate(disruptionTrack(plan, d), plan.until);
    if (track.steps.length) heap.push({ track, next: 0, at: track.steps[0].at });
  }
  for (const track of releaseTracks(plan).map((t) => truncate(t, plan.until)))
    if (track.steps.length && !options.skipReleasesOf?.(track.index))
      heap.push({ track, next: 0, at: track.steps[0].at, vars: new Map() });
  if (clock && options.runTimers) {
    const ticks: TimedStep[] = [];
    // Every two working hours: reminders are working days apart, so none fires more than two hours late.
    for (let t = plan.from; t <= plan.until; t = addWorking(t, TICK_MS))
      ticks.push({ at: t, op: { kind: 'tick', as: '' } });
    heap.push({ track: { key: 'tick', index: -1, title: 'timers', steps: ticks }, next: 0, at: ticks[0].at });
  }
  let nextIndex = 0;
  /** Request indices to import after the live play (their tracks are made again then: memory stays flat). */
  const toImport: number[] = [];
  const earliest = { index: -1, at: 0 };
  const feed = () => {
    while (nextIndex < plan.requests) {
      const top = heap.peek();
      if (earliest.index !== nextIndex)
        Object.assign(earliest, { index: nextIndex, at: earliestFrom(plan, nextIndex) });
      if (top && earliest.at > top.at) return;
      const index = nextIndex++;
      if (options.skip?.(index)) {
        result.skipped += 1;
        intakeDone(index);
        continue;
      }
      const track = truncate(requestTrack(plan, index), plan.until);
      result.tracks?.set(index, track);
      if (options.importHistories && importable(plan, track)) {
        toImport.push(index);
        continue;
      }
      if (!track.steps.some(isIntake)) intakeDone(index);
      if (!track.steps.length) continue;
      const state: State = {
        track,
        next: 0,
        at: track.steps[0].at,
        registered: track.escalation ? deferred<string>() : undefined,
      };
      heap.push(state);
      if (track.escalation)
        heap.push({
          track: { key: `e${index}`, index, title: `escalation of ${track.title}`, steps: track.escalation },
          next: 0,
          at: track.escalation[0].at,
          parent: state,
        });
    }
  };

  const timed = async <T>(
    s: State,
    name: string,
    as: string,
    query: string,
    variables: Record<string, unknown>,
    what: string,
    lagging: ReadonlySet<string> = NONE,
  ): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const t0 = Date.now();
      try {
        const data = await client.run<T>(as, query, variables, what);
        const l = (result.latency[name] ??= { count: 0, totalMs: 0 });
        l.count += 1;
        l.totalMs += Date.now() - t0;
        result.mutations += 1;
        return data;
      } catch (error) {
        const code = error instanceof SeedError ? error.code : 'UNKNOWN';
        const retry =
          (RETRYABLE.has(code) && attempt < 5) ||
          (lagging.has(code) && attempt < (lagging === AWAITING_EVENT ? 20_000 : 1200));
        if (!retry) throw error;
        if (attempt === 1) live.retriedSteps[name] = (live.retriedSteps[name] ?? 0) + 1;
        if (lagging === LAGGING && !s.waiting) {
          s.waiting = true;
          result.waits += 1;
          pump();
        }
        const ms = lagging === AWAITING_EVENT ? 25 : Math.min(1000, 50 * attempt);
        const reason = RETRYABLE.has(code) ? 'retryable' : lagging === AWAITING_EVENT ? 'awaitingEvent' : 'lagging';
        const slept = Date.now();
        await sleep(ms);
        live.retrySleepMs[reason] += Date.now() - slept;
      }
    }
  };

  const runStep = async (s: State, step: TimedStep) => {
    const op = step.op;
    const what = `${s.track.key} ${op.kind === 'request' || op.kind === 'escalation' || op.kind === 'disruption' || op.kind === 'uat' ? op.mutation : op.kind} as ${op.as}`;
    switch (op.kind) {
      case 'tick': {
        const t0 = Date.now();
        await options.runTimers?.();
        live.ticks += 1;
        live.tickMs += Date.now() - t0;
        return;
      }
      case 'register': {
        const data = await timed<{ registerRequest: { request: { id: string } } }>(
          s,
          'registerRequest',
          op.as,
          'mutation($input: RegisterRequestInput!) { registerRequest(input: $input) { request { id } } }',
          { input: op.input },
          what,
        );
        s.requestId = data.registerRequest.request.id;
        s.registered?.resolve(s.requestId);
        result.requests += 1;
        return;
      }
      case 'request': {
        const input = { requestId: s.requestId, ...op.input };
        const selection =
          op.mutation === 'treatAsNewRequest' ? 'closedRequest { id } request { id }' : 'request { id }';
        await timed(
          s,
          op.mutation,
          op.as,
          `mutation($input: ${MUTATION_INPUT[op.mutation]}!) { ${op.mutation}(input: $input) { ${selection} } }`,
          { input },
          what,
          op.afterEvent ? AWAITING_EVENT : NONE,
        );
        return;
      }
      case 'openEscalation': {
        s.waiting = true; // an escalation does not hold the clock: the request's own steps go on
        const requestId = await s.parent?.registered?.promise;
        const data = await timed<{ openEscalation: { escalation: { id: string } } }>(
          s,
          'openEscalation',
          op.as,
          'mutation($input: OpenEscalationInput!) { openEscalation(input: $input) { escalation { id } } }',
          { input: { ...op.input, requestIds: [requestId] } },
          what,
          LAGGING,
        );
        s.escalationId = data.openEscalation.escalation.id;
        result.escalations += 1;
        return;
      }
      case 'escalation': {
        const type = op.mutation === 'recordEscalationStep' ? 'RecordEscalationStepInput' : 'CloseEscalationInput';
        await timed(
          s,
          op.mutation,
          op.as,
          `mutation($input: ${type}!) { ${op.mutation}(input: $input) { escalation { id } } }`,
          { input: { ...op.input, escalationId: s.escalationId } },
          what,
        );
        return;
      }
      case 'openDisruption': {
        const notice = notices.get(op.disruption);
        try {
          const data = await timed<{ openDisruptionNotice: { notice: { id: string } } }>(
            s,
            'openDisruptionNotice',
            op.as,
            'mutation($input: OpenDisruptionNoticeInput!) { openDisruptionNotice(input: $input) { notice { id } } }',
            { input: op.input },
            what,
          );
          notice?.resolve(data.openDisruptionNotice.notice.id);
          result.disruptions += 1;
        } catch (error) {
          notice?.reject(error as Error);
          throw error;
        }
        return;
      }
      case 'disruption': {
        const noticeId = await notices.get(op.disruption)?.promise;
        if (op.mutation === 'resolveDisruptionNotice') {
          s.waiting = true; // the clock goes on while the notice's requests are taken in
          pump();
          await intakes.get(op.disruption)?.promise;
          s.waiting = false;
        }
        const now = clock ? clock.time : Date.now();
        const input = {
          ...op.input,
          noticeId,
          ...(op.dueInMs ? { nextUpdateDueAt: new Date(now + op.dueInMs).toISOString() } : {}),
        };
        const type = `${op.mutation[0].toUpperCase()}${op.mutation.slice(1)}Input`;
        await timed(
          s,
          op.mutation,
          op.as,
          `mutation($input: ${type}!) { ${op.mutation}(input: $input) { notice { id } } }`,
          { input },
          what,
        );
        return;
      }
      case 'uat': {
        const vars = s.vars ?? (s.vars = new Map());
        const resolve = (value: unknown): unknown => {
          if (Array.isArray(value)) return value.map(resolve);
          if (typeof value !== 'string' || !value.startsWith('$')) return value;
          const id = vars.get(value.slice(1));
          if (!id) throw new Error(`${what}: no ${value} yet`);
          return id;
        };
        const input = Object.fromEntries(
          Object.entries(op.input)
            .filter(([, v]) => v !== '$advice')
            .map(([k, v]) => [k, resolve(v)]),
        );
        if (op.mutation === 'recordReleaseDecision') {
          // The coordinator reads the advice and decides as advised.
          const data = await client.run<{ release: { advice: { outcome: string } } | null }>(
            op.as,
            'query($id: ID!) { release(id: $id) { advice { outcome } } }',
            { id: input.releaseId },
            `${what}: read the advice`,
          );
          input.decision = data.release?.advice.outcome;
        }
        const data = await timed<Record<string, Record<string, unknown>>>(
          s,
          op.mutation,
          op.as,
          `mutation($input: ${op.mutation[0].toUpperCase()}${op.mutation.slice(1)}Input!) { ${op.mutation}(input: $input) { ${UAT_SELECTION[op.mutation]} } }`,
          { input },
          what,
        );
        const made = Object.values(data[op.mutation])[0] as { id?: string; cases?: { id: string }[] };
        if (op.saveAs && made.id) vars.set(op.saveAs, made.id);
        made.cases?.forEach((c, i) => vars.set(`case${i}`, c.id));
        if (op.mutation === 'recordReleaseDecision') {
          const outcome = String(input.decision);
          result.releaseDecisions[outcome] = (result.releaseDecisions[outcome] ?? 0) + 1;
        }
        return;
      }
      case 'linkDisruption': {
        const noticeId = await notices.get(op.disruption)?.promise;
        await timed(
          s,
          'linkRequestToDisruption',
          op.as,
          'mutation($input: LinkRequestToDisruptionInput!) { linkRequestToDisruption(input: $input) { notice { id } } }',
          { input: { noticeId, requestId: s.requestId } },
          what,
          LAGGING,
        );
        return;
      }
    }
  };

  let pump = () => undefined as void;
  let paused = false;
  let lastBacklog = 0;
  let pausedMs = 0;
  let checking = false;
  const pressure = setInterval(() => {
    if (!options.backlog || checking) return;
    checking = true;
    options
      .backlog()
      .then(
        (n) => {
          lastBacklog = n;
          const was = paused;
          paused = n > (options.maxBacklog ?? Infinity);
          if (paused) pausedMs += 1000;
          if (was && !paused) pump();
        },
        () => undefined,
      )
      .finally(() => (checking = false));
  }, 1000);
  pressure.unref();
  const progress = setInterval(() => {
    const elapsed = (Date.now() - started) / 1000;
    const done = nextIndex / plan.requests;
    const eta = done > 0.001 ? (elapsed / done) * (1 - done) : NaN;
    log(
      `  ${(done * 100).toFixed(1).padStart(5)}%  ${result.requests} requests, ${result.mutations} mutations (${(result.mutations / elapsed).toFixed(0)}/s, ${(result.requests / elapsed).toFixed(1)} requests/s)` +
        `${clock ? `, desk time ${clock.now().toISOString().slice(0, 16)}` : ''}, ETA ${Number.isFinite(eta) ? formatDuration(eta * 1000) : '?'}${result.diverged ? `, ${result.diverged} stopped by errors` : ''}${options.backlog ? `, outbox backlog ${lastBacklog}${paused ? ' (paused)' : ''}` : ''}`,
    );
  }, options.progressEveryMs ?? 5000);
  progress.unref();

  try {
    await new Promise<void>((resolve) => {
      pump = () => {
        feed();
        mark(inflight.size);
        skewHeld = false;
        while (inflight.size < options.concurrency && !paused) {
          const top = heap.peek();
          if (!top) break;
          if (clock && inflight.size > 0) {
            let oldest = Infinity;
            for (const s of inflight) if (!s.waiting) oldest = Math.min(oldest, s.at);
            if (top.at > oldest + options.maxSkewMs) {
              skewHeld = true;
              break;
            }
          }
          heap.pop();
          clock?.advanceTo(top.at);
          inflight.add(top);
          const step = top.track.steps[top.next];
          mark(inflight.size - 1);
          runStep(top, step)
            .then(
              () => {
                if (isIntake(step)) intakeDone(top.track.index);
                top.next += 1;
              },
              (error: unknown) => {
                result.diverged += 1;
                if (result.errors.length < 20)
                  result.errors.push(
                    `${top.track.title}: ${error instanceof SeedError ? error.describe() : String(error)}`,
                  );
                top.next = top.track.steps.length;
                top.registered?.reject(error as Error);
                if (top.track.key.startsWith('r')) intakeDone(top.track.index);
              },
            )
            .finally(() => {
              mark(inflight.size);
              inflight.delete(top);
              top.waiting = false;
              if (top.next < top.track.steps.length) {
                top.at = top.track.steps[top.next].at;
                heap.push(top);
              }
              pump();
            });
          feed();
        }
        if (inflight.size === 0 && heap.size === 0 && nextIndex >= plan.requests) resolve();
      };
      pump();
    });
  } finally {
    clearInterval(progress);
    clearInterval(pressure);
  }
  mark(inflight.size);
  live.meanInFlight = inFlightMs / Math.max(1, Date.now() - started);
  if (toImport.length > 0 && options.deferImport) {
    result.toImport = toImport;
  } else if (toImport.length > 0) {
    const importStarted = Date.now();
    clock?.advanceTo(plan.until);
    log(`  importing ${toImport.length} histories (importRequests, ${IMPORT_BATCH} per call):`);
    await importAll(options, toImport, result);
    result.importMs = Date.now() - importStarted;
  }
  result.pausedMs = pausedMs;
  result.durationMs = Date.now() - started;
  return result;
}

const TICK_MS = 2 * HOUR;

/** Histories per `importRequests` call (the service takes at most 100). */
export const IMPORT_BATCH = 100;
const IMPORT_CONCURRENCY = 2;

/**
 * A request's history needs no other service: it can be imported whole (also one that ends
 * open: the import leaves it where its last step did, with its follow-up timer running; and
 * one that ends with treatAsNewRequest: the import registers the follow-up too).
 */
function importable(plan: Plan, track: Track): boolean {
  return (
    !track.escalation &&
    !plan.members.has(track.index) &&
    track.steps.length > 0 &&
    track.steps[0].op.kind === 'register' &&
    track.steps.slice(1).every((s) => s.op.kind === 'request' && !s.op.afterEvent)
  );
}

const enumName = (mutation: string) => mutation.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** The history of a request track as `importRequests` takes it; the import key names the seed and the index. */
export function historyOf(plan: Plan, track: Track) {
  const [registration, ...steps] = track.steps;
  return {
    importKey: `seed-${plan.seed}-${track.index}`,
    registeredAt: new Date(registration.at).toISOString(),
    registeredBy: registration.op.as,
    registration: registration.op.kind === 'register' ? registration.op.input : {},
    steps: steps.map((s) => ({
      at: new Date(s.at).toISOString(),
      by: s.op.as,
      mutation: s.op.kind === 'request' ? enumName(s.op.mutation) : '',
      input: s.op.kind === 'request' ? s.op.input : {},
    })),
  };
}

const IMPORT =
  'mutation($input: ImportRequestsInput!) { importRequests(input: $input) { imported { id } skipped { importKey } } }';

/**
 * Imports the histories, `IMPORT_BATCH` per call and `importConcurrency` (default 2) calls at a time,
 * pausing while the read models are more than `maxBacklog` events behind. A batch the
 * service rejects is imported history by history, so one bad history stops only itself.
 */
export async function importAll(
  options: Pick<DriveOptions, 'client' | 'plan' | 'log' | 'backlog' | 'maxBacklog' | 'importConcurrency'> & {
    /** For the progress lines: where the backlog stands. */
    describeBacklog?: () => Promise<string>;
  },
  indices: number[],
  result: DriveResult,
): Promise<void> {
  const { client, plan, log } = options;
  const admin = plan.directory.admin;
  const started = Date.now();
  let told = Date.now();
  let next = 0;
  const send = async (histories: ReturnType<typeof historyOf>[]) => {
    for (let attempt = 1; ; attempt++) {
      const t0 = Date.now();
      try {
        const data = await client.run<{ importRequests: { imported: unknown[] } }>(
          admin,
          IMPORT,
          { input: { requests: histories } },
          `importRequests ${histories[0].importKey}…`,
        );
        const l = (result.latency.importRequests ??= { count: 0, totalMs: 0 });
        l.count += 1;
        l.totalMs += Date.now() - t0;
        result.mutations += 1;
        result.imported += data.importRequests.imported.length;
        result.requests += data.importRequests.imported.length;
        return;
      } catch (error) {
        const code = error instanceof SeedError ? error.code : 'UNKNOWN';
        if (RETRYABLE.has(code) && attempt < 5) {
          await sleep(500 * attempt);
          continue;
        }
        throw error;
      }
    }
  };
  await Promise.all(
    Array.from({ length: options.importConcurrency ?? IMPORT_CONCURRENCY }, async () => {
      while (next < indices.length) {
        const batch = indices
          .slice(next, (next += IMPORT_BATCH))
          .map((i) => historyOf(plan, truncate(requestTrack(plan, i), plan.until)));
        while (options.backlog && (await options.backlog()) > (options.maxBacklog ?? Infinity)) await sleep(1000);
        try {
          await send(batch);
        } catch {
          for (const history of batch) {
            try {
              await send([history]);
            } catch (error) {
              result.diverged += 1;
              if (result.errors.length < 20)
                result.errors.push(
                  `${history.importKey}: ${error instanceof SeedError ? error.describe() : String(error)}`,
                );
            }
          }
        }
        if (Date.now() - told > 5000) {
          told = Date.now();
          const elapsed = (Date.now() - started) / 1000;
          const backlog = options.describeBacklog ? await options.describeBacklog().catch(() => '') : '';
          log(
            `  imported ${result.imported} of ${indices.length} histories (${(result.imported / elapsed).toFixed(1)} requests/s)${backlog ? `, ${backlog}` : ''}`,
          );
        }
      }
    }),
  );
}

/** The last step of a disruption request's intake (see requestTrack). */
const isIntake = (step: TimedStep) => step.op.kind === 'request' && step.op.mutation === 'prioritiseRequest';

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
