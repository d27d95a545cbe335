import {
  type Clock,
  type Logger,
  type MarketCode,
  type MarketDataError,
  type StreamingSource,
  type StreamKind,
  type StreamRecord,
  type SubscriptionHandle,
  toMarketDataError,
} from '@marketdata/domain';
import type { FleetSubjects } from '../subjects.js';
import { STATE_KINDS } from '../subjects.js';
import { encodeRecordMessage, encodeRefusalMessage } from '../wire/messages.js';
import type { FeedKey } from './demand-leases.js';

/** Fire-and-forget publishing (core NATS `publish`). */
export type Publish = (subject: string, payload: Uint8Array) => void;

export interface StreamRelayOptions {
  readonly streaming: StreamingSource;
  readonly publish: Publish;
  readonly subjects: FleetSubjects;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly gatewayId: string;
}

interface RelayedFeed {
  readonly kind: StreamKind;
  readonly symbol: MarketCode;
  handle: SubscriptionHandle | undefined;
  seq: number;
  /** The last record published (states only), to write the KV again after the server lost it. */
  last: StreamRecord<StreamKind> | undefined;
}

export interface RelayCounters {
  readonly feeds: number;
  readonly published: number;
  readonly kvWrites: number;
  readonly refusals: number;
}

/**
 * Relays the gateway's streaming source to NATS: one `listen` per wanted feed (the source owns the Upbit wire and its
 * linger; a released feed lingers there), each record published once on `<prefix>.<kind>.<MARKET>` with a
 * per-subject sequence number, and for states (tickers, order books) also written to the KV bucket, with the same
 * bytes, as the latest value for late joiners. The KV write is a core publish on the bucket's subject: no
 * acknowledgement is awaited on the hot path. Refusals reach the subject's consumers as `refused` / `ended` messages.
 */
export class StreamRelay {
  private readonly feeds = new Map<string, RelayedFeed>();
  private published = 0;
  private kvWrites = 0;
  private refusals = 0;

  constructor(private readonly options: StreamRelayOptions) {}

  update(added: readonly FeedKey[], removed: readonly FeedKey[]): void {
    for (const feed of removed) this.unwant(feed);
    for (const feed of added) this.want(feed);
  }

  /** Writes every state held to the KV bucket again (the server restarted and its memory store is empty). */
  reseed(): number {
    const now = this.options.clock.monotonic();
    let written = 0;
    for (const feed of this.feeds.values()) {
      if (feed.last === undefined) continue;
      this.writeLatest(feed, this.encode(feed, feed.last, now));
      written++;
    }
    return written;
  }

  counters(): RelayCounters {
    return { feeds: this.feeds.size, published: this.published, kvWrites: this.kvWrites, refusals: this.refusals };
  }

  close(): void {
    for (const feed of this.feeds.values()) feed.handle?.release();
    this.feeds.clear();
  }

  private want({ kind, symbol }: FeedKey): void {
    const key = `${kind} ${symbol}`;
    if (this.feeds.has(key)) return;
    const feed: RelayedFeed = { kind, symbol, handle: undefined, seq: 0, last: undefined };
    this.feeds.set(key, feed);
    const subject = this.options.subjects.data(kind, symbol);
    const { gatewayId, publish } = this.options;
    try {
      feed.handle = this.options.streaming.listen(kind, [symbol], {
        onRecord: (record) => {
          const bytes = this.encode(feed, record, this.options.clock.monotonic(), true);
          publish(subject, bytes);
          this.published++;
          if (STATE_KINDS.includes(kind)) {
            feed.last = record;
            this.writeLatest(feed, bytes);
          }
        },
        onError: (error: MarketDataError) => {
          this.refusals++;
          publish(subject, encodeRefusalMessage('refused', gatewayId, error));
        },
        onEnd: (reason) => {
          // The upstream gave up on it (error frames): the feed stays in the map, so it is not listened to again
          // until its demand goes and comes back.
          feed.handle = undefined;
          publish(subject, encodeRefusalMessage('ended', gatewayId, reason));
        },
      });
    } catch (error) {
      // A source that will not listen (closed, say): the consumers of the subject hear why.
      this.options.logger.warn('listen failed', { kind, symbol, error });
      publish(subject, encodeRefusalMessage('ended', gatewayId, toMarketDataError(error, { channel: 'websocket' })));
      this.feeds.delete(key);
    }
  }

  private unwant({ kind, symbol }: FeedKey): void {
    const key = `${kind} ${symbol}`;
    const feed = this.feeds.get(key);
    if (feed === undefined) return;
    this.feeds.delete(key);
    feed.handle?.release();
  }

  private encode(feed: RelayedFeed, record: StreamRecord<StreamKind>, nowMonotonic: number, next = false): Uint8Array {
    if (next) feed.seq++;
    return encodeRecordMessage(feed.kind, record, {
      gateway: this.options.gatewayId,
      seq: feed.seq,
      publishedAt: this.options.clock.now(),
      nowMonotonic,
    });
  }

  private writeLatest(feed: RelayedFeed, bytes: Uint8Array): void {
    const { subjects, publish } = this.options;
    publish(subjects.kvSubject(subjects.kvKey(feed.kind, feed.symbol)), bytes);
    this.kvWrites++;
  }
}
