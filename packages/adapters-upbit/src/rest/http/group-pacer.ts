import {
  BlockedError,
  type Clock,
  ClosedError,
  type Logger,
  onAbort,
  QueueFullError,
  RateLimitError,
  type TimerHandle,
} from '@marketdata/domain';
import type { RestRateLimitOptions } from './rate-limit-options.js';
import type { UpbitRestGroup } from './rest-group.js';
import { clampMs, timerDelay } from './timer-delay.js';

interface Waiter {
  readonly resolve: (ticket: number) => void;
  readonly reject: (error: unknown) => void;
  /** Stops listening to the caller's signal. */
  stopListening: () => void;
}

/** What the last `Remaining-Req` told us: `remaining` more sends allowed until `until` (monotonic ms). */
interface ServerBudget {
  readonly ticket: number;
  readonly remaining: number;
  readonly until: number;
  used: number;
}

/** A 429 pause doubles per consecutive 429 at most this many times (16 windows, about 17 s), so a short storm
 * cannot silence a group for minutes. */
const MAX_RATE_LIMIT_DOUBLINGS = 4;

/**
 * One granted send. Upbit counts a request when it arrives, which lies somewhere between our send and its answer,
 * so the slot stays taken until a window after the answer (or the failure) — `answeredAt` is unset until then.
 */
interface Slot {
  readonly ticket: number;
  readonly grantedAt: number;
  answeredAt: number | undefined;
}

/**
 * The send budget of one Upbit rate-limit group. Callers `acquire()` a slot before each HTTP request, `release()`
 * it when the answer (or a failure) comes back, and wait in a bounded FIFO queue when the group is out of budget,
 * instead of being sent into a 429.
 *
 * Budget: at most `requestsPerWindow` slots taken at once, a slot being taken from its grant until
 * `max(grant, answer) + windowMs + safetyMarginMs`. Upbit counts a request on arrival, between our send and its
 * answer, so no `requestsPerWindow + 1` requests can ever arrive within one window, however late a request reaches
 * Upbit after its slot was granted (event-loop lag, slow connects): safe by construction, not by margin. Each
 * response's `Remaining-Req` `sec` tightens that further (other clients on the same IP spend the same budget):
 * after a response saying `sec = n`, at most `n` minus the sends made after that request went out may follow until
 * a window has passed. A 429 pauses the group (at most `maxRateLimitPauseMs`); a 418 blocks it for a cool-down that
 * doubles on repeat (at most `maxBlockCoolDownMs`), failing callers fast with `BlockedError` meanwhile.
 *
 * One pacer per group per host and process (see `RestBudgets`): every client of the host waits in the same queue.
 * Every delay it arms fits a timer (`timerDelay`), whatever a header said.
 *
 * (About 300 lines: the budget, the queue, the server's `sec` and the 429/418 states decide together when the next
 * send may go; they are one state machine.)
 */
export class GroupPacer {
  private readonly slots: Slot[] = [];
  private sends = 0;
  private readonly queue: Waiter[] = [];
  private serverBudget: ServerBudget | undefined;
  private pausedUntil = 0;
  private blockedUntil = 0;
  private blockStreak = 0;
  private lastBlockAt: number | undefined;
  private rateLimitStreak = 0;
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(
    readonly group: UpbitRestGroup,
    private readonly limits: RestRateLimitOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Resolves when a send slot is granted, with the send's ticket (its sequence number in this group), which
   * `onRemaining` takes back to know which sends came after, and `release` to free the slot. Every granted ticket
   * must be released, or its slot stays taken.
   */
  acquire(signal?: AbortSignal): Promise<number> {
    if (this.closed) return Promise.reject(new ClosedError('Upbit REST client', { channel: 'rest' }));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const blocked = this.blockedError();
    if (blocked !== undefined) return Promise.reject(blocked);
    const paused = this.longPauseError();
    if (paused !== undefined) return Promise.reject(paused);
    if (this.queue.length === 0) {
      const ticket = this.tryTake();
      if (ticket !== undefined) return Promise.resolve(ticket);
    }
    if (this.queue.length >= this.limits.maxQueue) {
      return Promise.reject(
        new QueueFullError(`Upbit ${this.group} request queue is full (${this.limits.maxQueue} waiting)`, {
          channel: 'rest',
          capacity: this.limits.maxQueue,
        }),
      );
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, stopListening: () => undefined };
      if (signal !== undefined) {
        waiter.stopListening = onAbort(signal, (reason) => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(reason);
        });
      }
      this.queue.push(waiter);
      this.schedule();
    });
  }

  /**
   * The request holding `ticket` got its answer (headers) or failed: Upbit saw it by now if ever, so its slot frees
   * one window from now. Releasing twice or an unknown ticket does nothing.
   */
  release(ticket: number): void {
    const slot = this.slots.findLast((candidate) => candidate.ticket === ticket); // the newest are last
    if (slot === undefined || slot.answeredAt !== undefined) return;
    slot.answeredAt = this.clock.monotonic();
    if (this.queue.length > 0) this.schedule();
  }

  /** Re-synchronises from a response's `Remaining-Req` `sec`, for the request holding `ticket`. */
  onRemaining(sec: number, ticket: number): void {
    if (this.serverBudget !== undefined && ticket < this.serverBudget.ticket) return; // an older answer
    const now = this.clock.monotonic();
    // Sends made after this request may not have reached Upbit yet, so they are not in `sec`: count them as spent.
    const sentSince = this.sends - ticket;
    this.serverBudget = {
      ticket,
      remaining: Math.max(0, sec - sentSince),
      until: now + this.effectiveWindow(),
      used: 0,
    };
    if (sec === 0) this.logger.debug('Upbit says the group budget is spent for this second', { group: this.group });
  }

  /** A 2xx arrived: the 429 streak ends; the 418 streak ends once the last block is long past. */
  onSuccess(): void {
    this.rateLimitStreak = 0;
    const now = this.clock.monotonic();
    if (this.lastBlockAt !== undefined && now - this.lastBlockAt > this.limits.maxBlockCoolDownMs) {
      this.blockStreak = 0;
      this.lastBlockAt = undefined;
    }
  }

  /**
   * A 429: pause the whole group. The wait honours the window (or Upbit's `Retry-After`, if it ever sends one),
   * doubles with each consecutive 429 of the group, and adds up to one base of jitter; it never exceeds
   * `maxRateLimitPauseMs`. Returns the wait.
   */
  onRateLimited(retryAfterMs: number | undefined, jitter: number): number {
    // 429s answering requests sent before the group paused belong to the same episode: they do not double again.
    const alreadyPaused = this.pausedForMs();
    if (alreadyPaused > 0) return alreadyPaused;
    const max = this.limits.maxRateLimitPauseMs;
    this.rateLimitStreak = Math.min(this.rateLimitStreak + 1, MAX_RATE_LIMIT_DOUBLINGS + 1);
    const base = Math.max(clampMs(retryAfterMs ?? 0, max), this.effectiveWindow());
    const delay = clampMs(Math.round(base * 2 ** (this.rateLimitStreak - 1) + jitter * base), max);
    this.pause(delay);
    // Callers already waiting are not kept for a pause longer than they would wait for it.
    const error = this.longPauseError();
    if (error !== undefined) for (const waiter of this.queue.splice(0)) this.settle(waiter, error);
    return delay;
  }

  /**
   * A 418: block the group for a cool-down that doubles on repeat (or Upbit's `Retry-After` if longer), never more
   * than `maxBlockCoolDownMs`; queued callers fail with `BlockedError`. Returns the cool-down.
   */
  onBlocked(retryAfterMs: number | undefined): number {
    const max = this.limits.maxBlockCoolDownMs;
    this.blockStreak++;
    const doubled = this.limits.blockCoolDownMs * 2 ** (this.blockStreak - 1);
    const coolDownMs = clampMs(Math.max(clampMs(retryAfterMs ?? 0, max), doubled), max);
    const now = this.clock.monotonic();
    this.lastBlockAt = now;
    this.blockedUntil = Math.max(this.blockedUntil, now + coolDownMs);
    this.logger.error('Upbit answered 418 (IP blocked for this group); pausing the group', {
      group: this.group,
      coolDownMs,
      repeat: this.blockStreak,
    });
    const error = this.makeBlockedError(coolDownMs);
    for (const waiter of this.queue.splice(0)) this.settle(waiter, error);
    return coolDownMs;
  }

  /** Milliseconds left in the current 418 cool-down (0 when not blocked). */
  blockedForMs(): number {
    return Math.max(0, this.blockedUntil - this.clock.monotonic());
  }

  /** Milliseconds left in the current 429 pause (0 when not paused). */
  pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.clock.monotonic());
  }

  /** Requests waiting for their turn in this group. */
  queueLength(): number {
    return this.queue.length;
  }

  /** Fails every waiting request with `ClosedError`; later requests fail the same way. */
  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const error = new ClosedError('Upbit REST client', { channel: 'rest' });
    for (const waiter of this.queue.splice(0)) this.settle(waiter, error);
  }

  private pause(delayMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.monotonic() + delayMs);
    this.schedule();
  }

  private effectiveWindow(): number {
    return this.limits.windowMs + this.limits.safetyMarginMs;
  }

  /** A 429 pause longer than `maxPauseWaitMs` is not waited out: the caller hears when to come back instead. */
  private longPauseError(): RateLimitError | undefined {
    const left = this.pausedForMs();
    if (left <= this.limits.maxPauseWaitMs) return undefined;
    return new RateLimitError(
      `Upbit answered 429 for the ${this.group} group; it is paused for ${Math.ceil(left)} ms, longer than a caller waits`,
      { channel: 'rest', retryAfterMs: left, group: this.group },
    );
  }

  private blockedError(): BlockedError | undefined {
    const left = this.blockedForMs();
    return left > 0 ? this.makeBlockedError(left) : undefined;
  }

  private makeBlockedError(coolDownMs: number): BlockedError {
    return new BlockedError(
      `Upbit blocked this IP for the ${this.group} group (HTTP 418); nothing is sent to it for ${Math.ceil(coolDownMs)} ms`,
      { channel: 'rest', coolDownMs, group: this.group },
    );
  }

  /** Takes a slot now if the budget allows; returns its ticket. */
  private tryTake(): number | undefined {
    const now = this.clock.monotonic();
    if (this.nextSlotAt(now) > now) return undefined;
    this.sends++;
    this.slots.push({ ticket: this.sends, grantedAt: now, answeredAt: undefined });
    if (this.serverBudget !== undefined) this.serverBudget.used++;
    return this.sends;
  }

  /** When a slot stops counting: a window after its answer; never while the request is still out. */
  private slotEnd(slot: Slot): number {
    if (slot.answeredAt === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(slot.grantedAt, slot.answeredAt) + this.effectiveWindow();
  }

  /** The earliest monotonic time a send is allowed; infinite while it waits for an answer to free a slot. */
  private nextSlotAt(now: number): number {
    const budget = this.limits.requestsPerWindow;
    // Ended slots leave from the front (oldest first); only a full budget needs the exact count of those still on.
    while (this.slots.length > 0 && this.slotEnd(this.slots[0] as Slot) <= now) this.slots.shift();
    if (this.slots.length >= budget) {
      for (let index = this.slots.length - 1; index >= 0; index--) {
        if (this.slotEnd(this.slots[index] as Slot) <= now) this.slots.splice(index, 1);
      }
    }
    let at = Math.max(now, this.pausedUntil);
    if (this.slots.length >= budget) {
      const ends = this.slots.map((slot) => this.slotEnd(slot)).sort((a, b) => a - b);
      at = Math.max(at, ends[ends.length - budget] ?? now);
    }
    const server = this.serverBudget;
    if (server !== undefined) {
      if (now >= server.until) this.serverBudget = undefined;
      else if (server.used >= server.remaining) at = Math.max(at, server.until);
    }
    return at;
  }

  private schedule(): void {
    if (this.closed) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.drain();
    if (this.queue.length === 0) return;
    const now = this.clock.monotonic();
    const next = this.nextSlotAt(now);
    if (next === Number.POSITIVE_INFINITY) return; // `release` reschedules
    // A timer that cannot reach `next` (far beyond 24 days) fires early and is simply armed again.
    const delay = timerDelay(Math.max(1, next - now));
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, delay);
  }

  private drain(): void {
    if (this.blockedForMs() > 0) {
      const error = this.blockedError();
      for (const waiter of this.queue.splice(0)) this.settle(waiter, error);
      return;
    }
    while (this.queue.length > 0) {
      const ticket = this.tryTake();
      if (ticket === undefined) return;
      const waiter = this.queue.shift();
      if (waiter !== undefined) this.settle(waiter, undefined, ticket);
    }
  }

  private settle(waiter: Waiter, error: unknown, ticket = 0): void {
    waiter.stopListening();
    if (error === undefined) waiter.resolve(ticket);
    else waiter.reject(error);
  }
}
