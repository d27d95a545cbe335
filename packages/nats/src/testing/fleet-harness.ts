import type { ChannelTicker, MarketCode, Trade } from '@marketdata/domain';
import { FakeClock, MemoryLogger } from '@marketdata/domain/testing';
import { DEFAULT_FLEET_SETTINGS, type FleetSettings } from '../source/create-fleet-sources.js';
import { FleetRestSource } from '../source/fleet-rest-source.js';
import { FleetStreamingSource } from '../source/fleet-streaming-source.js';
import { fleetSubjects } from '../subjects.js';
import {
  type DemandAnnouncement,
  decodeDemand,
  encodeHeartbeat,
  encodeRecordMessage,
  type Heartbeat,
} from '../wire/messages.js';
import { encodeReply } from '../wire/rpc.js';
import { MemoryLink } from './memory-link.js';
import { ticker, trade } from './sample-records.js';

export const subjects = fleetSubjects();

/**
 * A consumer's fleet sources on an in-memory NATS path and a FakeClock: the test plays the gateway (heartbeats, data,
 * stored values, request/reply answers) and reads what the consumer announces.
 */
export class FleetHarness {
  readonly clock = new FakeClock({ now: Date.UTC(2026, 2, 11, 5, 0, 0), monotonic: 1_000 });
  readonly link = new MemoryLink();
  readonly logger = new MemoryLogger();
  readonly source: FleetStreamingSource;
  private heartbeatSeq = 0;
  private readonly seqs = new Map<string, number>();

  constructor(settings: Partial<FleetSettings> = {}) {
    this.source = new FleetStreamingSource({
      ...DEFAULT_FLEET_SETTINGS,
      ...settings,
      consumerId: 'consumer-1',
      connection: this.link,
      subjects,
      clock: this.clock,
      logger: this.logger,
      natsUrl: 'nats://memory',
    });
  }

  /** A REST source on the same link, answering `getMarkets` with these markets and nothing else. */
  restSource(markets: readonly MarketCode[]): FleetRestSource {
    this.link.answer = async (subject) => {
      if (subject !== subjects.rpc('getMarkets')) throw new Error(`unexpected request on ${subject}`);
      const list = markets.map((symbol) => ({
        symbol,
        quote: symbol.split('-')[0] ?? '',
        base: symbol.split('-')[1] ?? '',
        koreanName: symbol,
        englishName: symbol,
        warning: false,
        cautions: [],
        eventSource: 'market_event' as const,
      }));
      return {
        data: encodeReply('getMarkets', { ok: true, value: list }, 0),
        arrivedAtMonotonic: this.clock.monotonic(),
      };
    };
    return new FleetRestSource({
      ...DEFAULT_FLEET_SETTINGS,
      connection: this.link,
      subjects,
      clock: this.clock,
      logger: this.logger,
    });
  }

  heartbeat(overrides: Partial<Heartbeat> = {}): void {
    this.heartbeatSeq++;
    this.link.deliver(
      subjects.heartbeat,
      encodeHeartbeat({
        gateway: 'G1',
        startedAt: this.clock.now() - 60_000,
        seq: this.heartbeatSeq,
        sentAt: this.clock.now(),
        intervalMs: 1_000,
        upstream: { state: 'open', epoch: 1, reconnects: 0, openGaps: 0, refusal: undefined },
        consumers: 1,
        feeds: 1,
        stopping: false,
        ...overrides,
      }),
    );
  }

  /** Publishes a ticker as the gateway would, received by it `ageMs` before (on its own clock). */
  tick(symbol: MarketCode, overrides: Partial<ChannelTicker> = {}, options: { gateway?: string; ageMs?: number } = {}) {
    const gateway = options.gateway ?? 'G1';
    const seq = this.nextSeq(`ticker ${symbol} ${gateway}`);
    const record = ticker({ symbol, receivedAtMonotonic: 0, ...overrides });
    this.link.deliver(
      subjects.data('ticker', symbol),
      encodeRecordMessage('ticker', record, {
        gateway,
        seq,
        publishedAt: this.clock.now(),
        nowMonotonic: options.ageMs ?? 0,
      }),
    );
    return seq;
  }

  trade(symbol: MarketCode, seq: number, overrides: Partial<Trade> = {}): void {
    const record = trade({ symbol, receivedAtMonotonic: 0, ...overrides });
    this.link.deliver(
      subjects.data('trade', symbol),
      encodeRecordMessage('trade', record, { gateway: 'G1', seq, publishedAt: this.clock.now(), nowMonotonic: 0 }),
    );
  }

  /** Every demand announcement the consumer published, decoded, oldest first. */
  announcements(): DemandAnnouncement[] {
    return this.link.published.filter((p) => p.subject === subjects.demand).map((p) => decodeDemand(p.payload));
  }

  /** Heartbeats every second while data flows, for `ms`. */
  async live(ms: number, each?: () => void): Promise<void> {
    for (let elapsed = 0; elapsed < ms; elapsed += 1_000) {
      this.heartbeat();
      each?.();
      await this.clock.advanceAsync(1_000);
    }
  }

  private nextSeq(key: string): number {
    const seq = (this.seqs.get(key) ?? 0) + 1;
    this.seqs.set(key, seq);
    return seq;
  }
}
