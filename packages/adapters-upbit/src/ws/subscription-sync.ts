import type { Clock, MarketCode, Random, StreamKind, TimerHandle, UpstreamError } from '@marketdata/domain';
import { Demand, type WireChange } from './demand.js';
import {
  buildSubscriptionRequest,
  isEmptySet,
  newTicket,
  STREAM_KINDS,
  subscriptionSet,
  type UpbitOrderBookDepth,
  type UpbitStreamFormat,
  type WebSocketSubscriptionSet,
} from './protocol/subscription-request.js';
import { RollingWindow, waitForAll } from './rolling-window.js';

/** The part of the connection the sync drives. */
export interface SyncedConnection {
  readonly isOpen: boolean;
  want(wanted: boolean): void;
  send(text: string): boolean;
  postpone(atMonotonic: number): void;
}

export interface SyncSettings {
  readonly format: UpbitStreamFormat;
  readonly orderBookDepth: UpbitOrderBookDepth | undefined;
  readonly lingerMs: number;
  readonly requestBatchMs: number;
  readonly maxIdenticalRefusals: number;
}

export interface SyncHandlers {
  readonly onWireChange: WireChange;
  /** A request went out; `newlyOnSocket` lists per kind the symbols it put on this socket for the first time. */
  onSent(newlyOnSocket: WebSocketSubscriptionSet): void;
}

/** What an error frame did to the sync: how many identical refusals in a row, and whether it gave up. */
export interface RefusalOutcome {
  readonly repeats: number;
  /** The set will not be sent again until demand changes. */
  readonly final: boolean;
  readonly retryAtMonotonic: number | undefined;
}

// Upbit's documented limits per connection: 5 data requests per second and 100 per minute. The 50 ms guard keeps
// requests one window apart here from arriving closer together at Upbit when the network delays one of them.
const GUARD_MS = 50;
const newBudget = (): RollingWindow[] => [new RollingWindow(5, 1_000 + GUARD_MS), new RollingWindow(100, 60_000)];
/** First hold after an error frame; doubles with each identical one. */
const REFUSAL_HOLD_MS = 1_000;

const keyOf = (set: WebSocketSubscriptionSet): string => JSON.stringify(set);

/**
 * The one owner of what is on the wire. Demand (reference counts, linger) decides the set; Upbit replaces the set
 * with each request, so every change sends the complete set. Changes are batched (same tick, or `requestBatchMs`)
 * and paced so one connection sends at most 5 requests per second and 100 per minute: when the budget is short
 * the sync waits, then sends the latest complete set once (intermediate sets are never sent).
 *
 * An error frame is a refusal of what was sent. Each identical refusal of the same set holds the next attempt
 * longer (1 s, 2 s, …); after `maxIdenticalRefusals` in a row the set is not sent again ("quiet") until something
 * outside it is asked for (releases and expiring lingers alone never bring it back).
 */
export class SubscriptionSync {
  private readonly demand: Demand;
  private budget = newBudget();
  private sent: WebSocketSubscriptionSet | undefined;
  private sentKey: string | undefined;
  private flushPending = false;
  private flushTimer: TimerHandle | undefined;
  private streak: { readonly setKey: string; readonly id: string; readonly repeats: number } | undefined;
  /** The set Upbit refused for good; while the wire set stays within it, nothing is sent. */
  private quiet: WebSocketSubscriptionSet | undefined;
  private holdUntil = Number.NEGATIVE_INFINITY;
  private requests = 0;
  /** `requests` when the last refusal was counted: one request is refused once, however many error frames. */
  private refusedAt = -1;
  private closed = false;

  constructor(
    private readonly settings: SyncSettings,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly connection: SyncedConnection,
    private readonly handlers: SyncHandlers,
  ) {
    this.demand = new Demand(clock, settings.lingerMs, (kind, added, removed) => {
      this.handlers.onWireChange(kind, added, removed);
      this.scheduleFlush();
    });
  }

  acquire(kind: StreamKind, symbols: readonly MarketCode[]): () => void {
    return this.demand.acquire(kind, symbols);
  }

  has(kind: StreamKind, symbol: MarketCode): boolean {
    return this.demand.has(kind, symbol);
  }

  wireSet(): WebSocketSubscriptionSet {
    return this.demand.wireSet();
  }

  allSymbols(): readonly MarketCode[] {
    return this.demand.allSymbols();
  }

  get isEmpty(): boolean {
    return this.demand.isEmpty;
  }

  get lingeringCount(): number {
    return this.demand.lingeringCount;
  }

  get requestsSent(): number {
    return this.requests;
  }

  /**
   * True while the wanted set lies within one Upbit refused `maxIdenticalRefusals` times: nothing is sent for it.
   * Releases and expiring lingers do not start over; a subscription of anything outside that set does.
   */
  get isQuiet(): boolean {
    return this.quiet !== undefined && within(this.demand.wireSet(), this.quiet);
  }

  get pendingTimers(): number {
    return this.flushTimer === undefined ? 0 : 1;
  }

  /** A new socket: its request budget is fresh and nothing is on it yet. */
  socketOpened(): void {
    this.budget = newBudget();
    this.sent = undefined;
    this.sentKey = undefined;
    this.flush();
  }

  socketLost(): void {
    this.sent = undefined;
    this.sentKey = undefined;
  }

  /** Upbit refused what was last sent (an error frame). */
  refused(error: UpstreamError): RefusalOutcome {
    const streak = this.streak;
    if (this.refusedAt === this.requests && streak !== undefined) {
      // Another error frame for the request already refused: reported, but not one more refusal in a row.
      const final = this.quiet !== undefined;
      return { repeats: streak.repeats, final, retryAtMonotonic: final ? undefined : this.holdUntil };
    }
    this.refusedAt = this.requests;
    const refusedSet = this.sent ?? this.demand.wireSet();
    const setKey = keyOf(refusedSet);
    const id = `${String(error.upstreamName)}\u0000${error.upstreamMessage ?? ''}`;
    const same = this.streak !== undefined && this.streak.setKey === setKey && this.streak.id === id;
    const repeats = same && this.streak !== undefined ? this.streak.repeats + 1 : 1;
    this.streak = { setKey, id, repeats };
    // Whatever Upbit kept after refusing, the set counts as not sent: it goes out again (once) after the hold.
    this.sent = undefined;
    this.sentKey = undefined;
    if (repeats >= this.settings.maxIdenticalRefusals) {
      this.quiet = refusedSet;
      this.scheduleFlush();
      return { repeats, final: true, retryAtMonotonic: undefined };
    }
    const holdMs = REFUSAL_HOLD_MS * 2 ** (repeats - 1);
    const retryAtMonotonic = this.clock.monotonic() + holdMs;
    this.holdUntil = retryAtMonotonic;
    this.connection.postpone(retryAtMonotonic);
    this.scheduleFlush(holdMs);
    return { repeats, final: false, retryAtMonotonic };
  }

  /** Data flowed: whatever was refused before is no longer in a row. */
  dataFlowed(): void {
    this.streak = undefined;
  }

  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.demand.clear();
  }

  private scheduleFlush(delayMs = this.settings.requestBatchMs): void {
    if (this.closed || this.flushPending) return;
    this.flushPending = true;
    if (delayMs > 0) this.flushTimer = this.clock.setTimeout(() => this.flush(), delayMs);
    else queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.clock.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushPending = false;
    if (this.closed) return;
    const set = this.demand.wireSet();
    const key = keyOf(set);
    const quiet = this.quiet !== undefined && within(set, this.quiet);
    if (this.quiet !== undefined && !quiet) {
      // Demand changed: something outside the refused set was asked for, so it starts over.
      this.quiet = undefined;
      this.streak = undefined;
    }
    // Upbit answers an empty `codes` with an error, so an empty set is never sent: the socket goes idle instead.
    if (isEmptySet(set) || quiet) {
      this.connection.want(false);
      return;
    }
    this.connection.want(true);
    if (!this.connection.isOpen || key === this.sentKey) return;
    const now = this.clock.monotonic();
    const wait = Math.max(waitForAll(this.budget, now), this.holdUntil - now);
    if (wait > 0) {
      this.flushPending = true;
      this.flushTimer = this.clock.setTimeout(() => this.flush(), wait);
      return;
    }
    const text = buildSubscriptionRequest(set, {
      ticket: newTicket(this.random),
      format: this.settings.format,
      orderBookDepth: this.settings.orderBookDepth,
    });
    if (!this.connection.send(text)) return;
    for (const window of this.budget) window.record(now);
    this.requests++;
    const previous = this.sent;
    this.sent = set;
    this.sentKey = key;
    this.handlers.onSent(newlyOn(set, previous));
  }
}

function within(set: WebSocketSubscriptionSet, outer: WebSocketSubscriptionSet): boolean {
  return STREAM_KINDS.every((kind) => {
    const allowed = new Set(outer[kind]);
    return set[kind].every((code) => allowed.has(code));
  });
}

function newlyOn(
  set: WebSocketSubscriptionSet,
  previous: WebSocketSubscriptionSet | undefined,
): WebSocketSubscriptionSet {
  if (previous === undefined) return set;
  const fresh = (kind: StreamKind): string[] => {
    const before = new Set(previous[kind]);
    return set[kind].filter((code) => !before.has(code));
  };
  const codes: Partial<Record<StreamKind, string[]>> = {};
  for (const kind of STREAM_KINDS) codes[kind] = fresh(kind);
  return subscriptionSet(codes);
}
