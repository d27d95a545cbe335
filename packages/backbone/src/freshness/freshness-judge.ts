import type { ChannelTicker, Clock, MarketCode, StreamKind, StreamObserver, StreamStatus } from '@marketdata/domain';
import type { FreshnessConfig } from '../config/backbone-config.js';
import { type CannotDeliver, ConnectionFacts } from './connection-facts.js';
import { type Feed, Rhythms } from './rhythms.js';
import { TradeConfirmations } from './trade-confirmations.js';
import {
  describeStale,
  type StaleStream,
  type StaleVerdict,
  type StreamCondition,
  type StreamHealth,
} from './verdicts.js';

/**
 * The one freshness judge: the backbone's only rhythm estimator and its only stale rule. `health()`, the router's
 * stream condition, the labels of streamed tickers, the grades of `getTicker` and the stream supervisor's fallback
 * all ask it; nothing else in the backbone decides whether data is stale.
 *
 * It is fed facts, never judgements: the streaming source's observer (`onArrival` with the monotonic receive time
 * the adapter stamped, `onConnection`, `onGap`, `onRefusal`), and the tickers seen on any channel (`noteTicker`):
 * their exchange trade times give a rhythm to symbols that are not streamed, and a REST answer confirms or
 * contradicts the stream's silence.
 *
 * Rhythm. Per kind and symbol, an EWMA (weight 0.2) of the intervals between REALTIME arrivals within one connection
 * epoch; the same for the connection as a whole (every data frame, any kind and symbol). A SNAPSHOT refreshes the
 * last arrival (the value is current) but is not rhythm: Upbit sends it as the first frame per code of a
 * subscription request (API.md; whether a request that replaces the set re-sends it for codes already on the wire is
 * not documented), so its timing follows our requests, not the market; it restarts the interval, and so does a new
 * connection (a reconnect's silence is not rhythm). A sample is capped at `maxExpectedIntervalMs`. A stall that ends
 * while the connection stays open does enter the estimate once; at a busy symbol's rhythm the next few arrivals
 * bring it back within a second (each keeps 80% of the estimate). The expected interval of a symbol is its arrival
 * EWMA, else the EWMA of its exchange trade-time deltas (tickers and trades only; an order book moves without
 * trades), else the default; always clamped to [minExpectedIntervalMs, maxExpectedIntervalMs]. A rhythm is
 * *learned* once it rests on 3 intervals (its own arrivals, or trade times seen on any channel).
 *
 * The rule. A value is stale when its age exceeds `limit = max(minStaleMs, staleFactor x expected)`, where:
 * - the age runs on the monotonic clock from the value's receipt, or from a later REST answer that confirmed it
 *   (the REST ticker's last trade is no newer than the value's: no trade was missed, the market was quiet); such a
 *   confirmation also raises the expected interval to the silence it confirmed, so a quiet market is checked again
 *   after 3x, 9x, 27x ... its confirmed silence rather than every few seconds;
 * - a stream value whose symbol has no learned rhythm is not called stale by its own silence while the connection
 *   is delivering other data (its last data frame of any kind is younger than the connection's own limit): the
 *   socket is demonstrably not stalled, so the silence is the market's. Alone on a silent connection the default
 *   applies (1 s expected, stale after 3 s), and REST decides: a confirmation makes it fresh, a newer REST trade
 *   keeps it stale;
 * - a value from the stream is also stale while the stream cannot deliver: the connection is not open, a refusal
 *   holds (until data flows again), an open gap covers the symbol and it has delivered nothing since it opened, or
 *   the connection, open, has delivered nothing at all past its own limit (a data stall: every value from it is
 *   suspect, a quiet symbol's too, unless REST confirmed it after the silence began).
 *
 * Fallback (`streamVerdict`, asked by the stream supervisor): the same rule, except that "cannot deliver" counts
 * only once it has lasted `minStaleMs` (a routine reconnect takes a few hundred ms), and a state feed (ticker,
 * order book) that has delivered nothing since it was asked for counts once the limit has passed.
 *
 * Defaults, and why. `staleFactor` 3: two missed updates are jitter, the third is a stall. 1 s expected before
 * anything is learned: Upbit's busy markets trade several times a second, and assuming the busy rhythm errs on the
 * safe side. `minStaleMs` 1 s: at a learned 50-300 ms rhythm, a GC pause or a slow network hop would otherwise make a
 * value stale after a few hundred ms. So with default options a busy symbol's stall (data stops, the connection stays
 * open, heartbeats are answered) is judged stale within max(1 s, 3 x its interval): within 1 s for a rhythm under
 * 333 ms, and within 3 s for any rhythm up to 1 s or before its rhythm is known.
 *
 */
export interface FreshnessJudgeOptions {
  readonly clock: Clock;
  readonly settings: FreshnessConfig;
  /** Symbols remembered per kind at most; the least recently created are forgotten (never one being watched). */
  readonly maxSymbols: number;
  /** The streaming source's status when the judge starts; undefined without a streaming source. */
  readonly initial: StreamStatus | undefined;
}

const KINDS: readonly StreamKind[] = ['ticker', 'trade', 'orderbook'];

export class FreshnessJudge {
  /** Hand this to `StreamingSource.observe`. */
  readonly observer: StreamObserver;
  private readonly rhythms: Rhythms;
  private readonly confirmations: TradeConfirmations;
  private readonly link: ConnectionFacts;

  constructor(private readonly options: FreshnessJudgeOptions) {
    this.rhythms = new Rhythms(options.settings, options.maxSymbols);
    this.confirmations = new TradeConfirmations(options.maxSymbols);
    const link = new ConnectionFacts(options.clock, options.initial);
    this.link = link;
    this.observer = {
      onArrival: (kind, symbol, at, streamType) => {
        this.rhythms.arrival(kind, symbol, at, streamType, link.epoch);
        link.arrival(at);
      },
      onConnection: (event) => link.connection(event),
      onGap: (gap) => link.gap(gap),
      onRefusal: (refusal) => link.refuse(refusal),
    };
  }

  /**
   * A ticker seen on any channel: its exchange trade time is the rhythm of symbols not streamed, and a REST ticker
   * with no trade newer than the stream's confirms the stream's silence.
   */
  noteTicker(tick: ChannelTicker): void {
    this.rhythms.tradeTime(tick.symbol, tick.tradeTimestamp);
    this.confirmations.note(tick, this.rhythms.feeds.ticker.get(tick.symbol)?.lastArrival);
  }

  /** Someone wants this feed (a hot subscription, an open stream): health reports it when stale. */
  watch(kind: StreamKind, symbols: readonly MarketCode[]): () => void {
    return this.rhythms.watch(kind, symbols, this.options.clock.monotonic(), this.link.epoch);
  }

  expectedIntervalMs(kind: StreamKind, symbol: MarketCode): number {
    return this.rhythms.expectedMs(kind, symbol, this.rhythms.feeds[kind].get(symbol));
  }

  /**
   * The one rule. `receivedAtMonotonic` is the value's own receipt (undefined: the feed's last arrival) and
   * `tradeTimestamp` its last trade (undefined: the stream's latest); `fromStream` adds the stream's ability to
   * deliver. Undefined when fresh (or when nothing has arrived).
   */
  staleness(
    kind: StreamKind,
    symbol: MarketCode,
    receivedAtMonotonic: number | undefined,
    fromStream: boolean,
    tradeTimestamp?: number,
    now?: number,
  ): StaleVerdict | undefined {
    const feed = this.rhythms.feeds[kind].get(symbol);
    if (fromStream) {
      const cannot = this.cannotDeliver(symbol, feed);
      if (cannot !== undefined) return { cause: 'cannot-deliver', detail: cannot.detail };
    }
    return this.silence(kind, symbol, feed, receivedAtMonotonic ?? feed?.lastArrival, tradeTimestamp, fromStream, now);
  }

  /**
   * Whether a stream that started at `startedAtMonotonic` should stop relying on the WebSocket for this feed (see
   * "Fallback" above). Undefined while the stream can serve it. `grace` false: whether it can serve it right now,
   * "cannot deliver" counting at once (for a stream deciding to come back).
   */
  streamVerdict(
    kind: StreamKind,
    symbol: MarketCode,
    startedAtMonotonic: number,
    grace = true,
  ): StaleVerdict | undefined {
    const now = this.options.clock.monotonic();
    const feed = this.rhythms.feeds[kind].get(symbol);
    const cannot = this.cannotDeliver(symbol, feed);
    if (cannot !== undefined) {
      if (!grace) return { cause: 'cannot-deliver', detail: cannot.detail };
      const lasted = now - Math.max(cannot.since, startedAtMonotonic);
      return lasted >= this.options.settings.minStaleMs
        ? { cause: 'cannot-deliver', detail: cannot.detail }
        : undefined;
    }
    if (feed?.lastArrival === undefined) {
      if (kind === 'trade') return undefined;
      const waited = now - Math.max(startedAtMonotonic, feed?.wantedSince ?? startedAtMonotonic);
      const limit = this.rhythms.limitMs(this.rhythms.expectedMs(kind, symbol, feed));
      return waited > limit
        ? { cause: 'cannot-deliver', detail: `no ${kind} ${Math.round(waited)} ms after it was asked for` }
        : undefined;
    }
    return this.silence(kind, symbol, feed, feed.lastArrival, undefined, true);
  }

  /** The router's view of a symbol's ticker feed; undefined when nothing has arrived for it. */
  streamCondition(symbol: MarketCode, now = this.options.clock.monotonic()): StreamCondition | undefined {
    const feed = this.rhythms.feeds.ticker.get(symbol);
    const lastArrival = feed?.lastArrival;
    if (lastArrival === undefined) return undefined;
    const cannot = this.cannotDeliver(symbol, feed);
    const verdict: StaleVerdict | undefined =
      cannot === undefined
        ? this.silence('ticker', symbol, feed, lastArrival, undefined, true, now)
        : { cause: 'cannot-deliver', detail: cannot.detail };
    return {
      sinceUpdateMs: now - lastArrival,
      expectedIntervalMs: this.rhythms.expectedMs('ticker', symbol, feed),
      stale: verdict === undefined ? undefined : describeStale(verdict, 'last update'),
    };
  }

  /** What `health()` reports: the connection as the judge sees it, and every watched feed judged stale. */
  report(): StreamHealth {
    const now = this.options.clock.monotonic();
    const stale: StaleStream[] = [];
    let watched = 0;
    for (const kind of KINDS) {
      for (const [symbol, feed] of this.rhythms.feeds[kind]) {
        if (feed.watchers === 0) continue;
        watched++;
        const note = this.watchedStaleNote(kind, symbol, feed, now);
        if (note !== undefined) stale.push({ kind, symbol, note });
      }
    }
    return {
      connection: this.link.state,
      epoch: this.link.epoch,
      openGaps: this.link.openGapCount,
      refusal: this.link.refusal,
      watched,
      stale,
    };
  }

  private watchedStaleNote(kind: StreamKind, symbol: MarketCode, feed: Feed, now: number): string | undefined {
    if (feed.lastArrival === undefined) {
      // States (tickers, order books) get a snapshot on subscription; trades are never replayed, so a quiet
      // market's trade stream is silent at first and that is no sign of trouble.
      if (kind === 'trade' || feed.wantedSince === undefined) return undefined;
      const waited = now - feed.wantedSince;
      const limit = this.rhythms.limitMs(this.rhythms.expectedMs(kind, symbol, feed));
      return waited > limit ? `no data ${Math.round(waited)} ms after it was asked for` : undefined;
    }
    const verdict = this.silence(kind, symbol, feed, feed.lastArrival, undefined, true);
    return verdict === undefined ? undefined : describeStale(verdict, 'last update');
  }

  private silence(
    kind: StreamKind,
    symbol: MarketCode,
    feed: Feed | undefined,
    receivedAt: number | undefined,
    tradeTimestamp: number | undefined,
    fromStream: boolean,
    now = this.options.clock.monotonic(),
  ): StaleVerdict | undefined {
    if (receivedAt === undefined) return undefined;
    const confirmation = kind === 'orderbook' ? undefined : this.confirmations.covering(symbol, tradeTimestamp);
    const since = Math.max(receivedAt, confirmation?.atMonotonic ?? receivedAt);
    const ageMs = now - since;
    const learned = this.rhythms.expectedMs(kind, symbol, feed);
    const expectedMs = this.rhythms.clamp(Math.max(learned, confirmation?.quietForMs ?? 0));
    if (ageMs > this.rhythms.limitMs(expectedMs)) {
      // A quiet symbol on a connection that keeps delivering other data: the market is quiet, not the socket.
      if (!fromStream || this.rhythms.isLearned(kind, symbol, feed) || !this.connectionDelivering(now)) {
        return { cause: 'silent', ageMs, expectedMs };
      }
    }
    return fromStream ? this.dataStall(now, since) : undefined;
  }

  /**
   * The connection is open but has delivered no data at all for longer than its own limit (a data stall): no value
   * from it can be vouched for, however quiet its symbol usually is. REST explains the silence only when it has
   * confirmed, since the connection's last frame, this value (`since` is later than that frame) and every other
   * ticker feed someone watches on it: a quiet market alone (or with other quiet ones) on its connection is not a
   * stall, but one quiet market confirmed among busy ones that fell silent is.
   */
  private dataStall(now: number, since: number): StaleVerdict | undefined {
    const last = this.rhythms.connection.lastArrival;
    if (!this.link.isOpen() || last === undefined) return undefined;
    const expectedMs = this.rhythms.connectionExpectedMs();
    const silentMs = now - last;
    if (silentMs <= this.rhythms.limitMs(expectedMs)) return undefined;
    if (since > last && this.watchedTickersConfirmedAfter(last)) return undefined;
    const detail = `websocket silent for ${Math.round(silentMs)} ms, a frame expected every ${Math.round(expectedMs)} ms`;
    return { cause: 'cannot-deliver', detail };
  }

  private watchedTickersConfirmedAfter(at: number): boolean {
    for (const [symbol, feed] of this.rhythms.feeds.ticker) {
      if (feed.watchers === 0) continue;
      const confirmedAt = this.confirmations.covering(symbol, undefined)?.atMonotonic;
      if (confirmedAt === undefined || confirmedAt <= at) return false;
    }
    return true;
  }

  private connectionDelivering(now: number): boolean {
    const last = this.rhythms.connection.lastArrival;
    if (!this.link.isOpen() || last === undefined) return false;
    return now - last <= this.rhythms.limitMs(this.rhythms.connectionExpectedMs());
  }

  private cannotDeliver(symbol: MarketCode, feed: Feed | undefined): CannotDeliver | undefined {
    return this.link.cannotDeliver(symbol, feed?.lastArrival);
  }
}
