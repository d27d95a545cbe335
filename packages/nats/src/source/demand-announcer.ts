import type { Clock, TimerHandle } from '@marketdata/domain';
import { type DemandFeeds, encodeDemand } from '../wire/messages.js';

export interface DemandAnnouncerOptions {
  readonly clock: Clock;
  readonly consumer: string;
  readonly subject: string;
  /** How long the gateway holds an announcement; it is renewed every third of it. */
  readonly leaseMs: number;
  readonly feeds: () => DemandFeeds;
  /** false when not connected (the next `up` announces again). */
  readonly publish: (subject: string, payload: Uint8Array) => boolean;
}

/**
 * Tells the gateway this consumer's complete demand: changes made in one synchronous run become one announcement,
 * renewed every `leaseMs / 3` so that the lease never runs out while the consumer lives (and does run out when it
 * dies without saying goodbye). Sent again at once on a reconnect and when a new gateway instance appears.
 */
export class DemandAnnouncer {
  private scheduled = false;
  private renewal: TimerHandle | undefined;
  private closed = false;
  announcements = 0;

  constructor(private readonly options: DemandAnnouncerOptions) {
    this.scheduleRenewal();
  }

  /** Announces after the current synchronous run (coalescing the changes made in it). */
  changed(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.announceNow();
    });
  }

  announceNow(): void {
    if (this.closed) return;
    const { consumer, leaseMs, subject, publish, feeds } = this.options;
    if (publish(subject, encodeDemand({ consumer, leaseMs, feeds: feeds() }))) this.announcements++;
  }

  /** A goodbye with lease 0: the gateway releases this consumer's feeds at once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.clock.clearTimeout(this.renewal);
    const { consumer, subject, publish } = this.options;
    publish(subject, encodeDemand({ consumer, leaseMs: 0, feeds: {} }));
  }

  private scheduleRenewal(): void {
    this.renewal = this.options.clock.setTimeout(() => {
      this.announceNow();
      if (!this.closed) this.scheduleRenewal();
    }, this.options.leaseMs / 3);
  }
}
