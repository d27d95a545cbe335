import type { Clock, Logger, MarketCode, StreamKind, TimerHandle } from '@marketdata/domain';
import type { DemandAnnouncement } from '../wire/messages.js';

/** One feed: a kind of data for one market. */
export interface FeedKey {
  readonly kind: StreamKind;
  readonly symbol: MarketCode;
}

export interface DemandLeasesOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called with the feeds that gained their first consumer and the ones that lost their last. */
  readonly onChange: (added: readonly FeedKey[], removed: readonly FeedKey[]) => void;
  /** How often expired leases are looked for. */
  readonly sweepEveryMs: number;
  /** A lease longer than this is cut to it (a hostile or broken consumer cannot hold feeds for ever). */
  readonly maxLeaseMs: number;
  /** Announcements with more feeds are refused whole (logged): one consumer cannot make the gateway subscribe all. */
  readonly maxFeedsPerConsumer: number;
  /** New consumers beyond this are refused (logged) until leases expire. */
  readonly maxConsumers: number;
}

interface Lease {
  expiresAtMonotonic: number;
  feeds: ReadonlySet<string>;
}

const SEPARATOR = ' ';

function keyOf(kind: StreamKind, symbol: MarketCode): string {
  return `${kind}${SEPARATOR}${symbol}`;
}

function feedOf(key: string): FeedKey {
  const at = key.indexOf(SEPARATOR);
  return { kind: key.slice(0, at) as StreamKind, symbol: key.slice(at + 1) as MarketCode };
}

/**
 * What the fleet wants: each consumer's complete demand (the last announcement replaces the one before, as Upbit's
 * own subscription does), held for the lease it asked for and dropped when not renewed in time (a consumer that
 * crashed). The union is reference counted per feed; `onChange` hears every feed that enters or leaves it.
 */
export class DemandLeases {
  private readonly leases = new Map<string, Lease>();
  private readonly counts = new Map<string, number>();
  private sweepTimer: TimerHandle | undefined;
  private refusedAnnouncements = 0;

  constructor(private readonly options: DemandLeasesOptions) {}

  start(): void {
    this.scheduleSweep();
  }

  announce(demand: DemandAnnouncement): void {
    const feeds = new Set<string>();
    for (const [kind, symbols] of Object.entries(demand.feeds) as [StreamKind, readonly MarketCode[]][]) {
      for (const symbol of symbols) feeds.add(keyOf(kind, symbol));
    }
    const { maxFeedsPerConsumer, maxConsumers, maxLeaseMs, clock, logger } = this.options;
    if (feeds.size > maxFeedsPerConsumer) {
      this.refusedAnnouncements++;
      logger.warn('demand refused: too many feeds', { consumer: demand.consumer, feeds: feeds.size });
      return;
    }
    const previous = this.leases.get(demand.consumer);
    if (demand.leaseMs === 0 || feeds.size === 0) {
      if (previous !== undefined) this.replace(previous.feeds, new Set());
      this.leases.delete(demand.consumer);
      return;
    }
    if (previous === undefined && this.leases.size >= maxConsumers) {
      this.refusedAnnouncements++;
      logger.warn('demand refused: too many consumers', { consumer: demand.consumer, consumers: this.leases.size });
      return;
    }
    const lease = Math.min(demand.leaseMs, maxLeaseMs);
    this.leases.set(demand.consumer, { expiresAtMonotonic: clock.monotonic() + lease, feeds });
    this.replace(previous?.feeds ?? new Set(), feeds);
  }

  /** Drops every lease that was not renewed in time. */
  sweep(): void {
    const now = this.options.clock.monotonic();
    for (const [consumer, lease] of [...this.leases]) {
      if (lease.expiresAtMonotonic > now) continue;
      this.leases.delete(consumer);
      this.options.logger.info('demand lease expired', { consumer, feeds: lease.feeds.size });
      this.replace(lease.feeds, new Set());
    }
  }

  consumers(): number {
    return this.leases.size;
  }

  /** The consumers holding a lease now. */
  holders(): string[] {
    return [...this.leases.keys()];
  }

  feeds(): number {
    return this.counts.size;
  }

  refused(): number {
    return this.refusedAnnouncements;
  }

  /** Every feed someone wants now. */
  wanted(): FeedKey[] {
    return [...this.counts.keys()].map(feedOf);
  }

  stop(): void {
    this.options.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  private replace(before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    const added: FeedKey[] = [];
    const removed: FeedKey[] = [];
    for (const key of after) {
      if (before.has(key)) continue;
      const count = (this.counts.get(key) ?? 0) + 1;
      this.counts.set(key, count);
      if (count === 1) added.push(feedOf(key));
    }
    for (const key of before) {
      if (after.has(key)) continue;
      const count = (this.counts.get(key) ?? 1) - 1;
      if (count > 0) this.counts.set(key, count);
      else {
        this.counts.delete(key);
        removed.push(feedOf(key));
      }
    }
    if (added.length > 0 || removed.length > 0) this.options.onChange(added, removed);
  }

  private scheduleSweep(): void {
    this.sweepTimer = this.options.clock.setTimeout(() => {
      this.sweep();
      this.scheduleSweep();
    }, this.options.sweepEveryMs);
  }
}
