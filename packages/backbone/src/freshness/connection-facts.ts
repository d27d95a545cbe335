import type {
  Clock,
  ConnectionEvent,
  ConnectionState,
  MarketCode,
  StreamGap,
  StreamRefusal,
  StreamStatus,
} from '@marketdata/domain';

const MAX_OPEN_GAPS = 64;

/** The stream cannot deliver, since when (monotonic). */
export interface CannotDeliver {
  readonly detail: string;
  readonly since: number;
}

/**
 * What the freshness judge knows of the streaming connection itself, from the source's reports: its state and since
 * when, its epoch, the gaps still open, and a refusal holding until data flows again. It answers one question:
 * can the stream deliver a symbol right now, and if not, why and since when.
 */
export class ConnectionFacts {
  /** False without a streaming source: nothing is ever "from the stream". */
  readonly streaming: boolean;
  state: ConnectionState;
  epoch: number;
  private since: number;
  private readonly openGaps: StreamGap[] = [];
  private refused: StreamRefusal | undefined;
  /** The first refusal since data last flowed: a refusal repeated at every reconnect still started then. */
  private refusedSince: number | undefined;

  constructor(
    private readonly clock: Clock,
    initial: StreamStatus | undefined,
  ) {
    this.streaming = initial !== undefined;
    this.state = initial?.state ?? 'idle';
    this.since = clock.monotonic();
    this.epoch = initial?.epoch ?? 0;
    this.refused = initial?.refusal;
    this.refusedSince = initial?.refusal?.atMonotonic;
    for (const gap of initial?.gaps ?? []) if (gap.endedAtMonotonic === undefined) this.openGaps.push(gap);
  }

  get refusal(): StreamRefusal | undefined {
    return this.refused;
  }

  get openGapCount(): number {
    return this.openGaps.length;
  }

  /** Streaming and open. */
  isOpen(): boolean {
    return this.streaming && this.state === 'open';
  }

  /** Data arrived at `at`: a refusal older than it no longer holds. */
  arrival(at: number): void {
    if (this.refused !== undefined && at >= this.refused.atMonotonic) {
      this.refused = undefined;
      this.refusedSince = undefined;
    }
  }

  connection(event: ConnectionEvent): void {
    if (event.state !== this.state) this.since = this.clock.monotonic();
    this.state = event.state;
    this.epoch = event.epoch;
  }

  refuse(refusal: StreamRefusal): void {
    this.refused = refusal;
    this.refusedSince ??= refusal.atMonotonic;
  }

  gap(gap: StreamGap): void {
    // A gap is known by its start: the report that closes it may word its reason differently.
    const index = this.openGaps.findIndex((open) => open.startedAtMonotonic === gap.startedAtMonotonic);
    if (gap.endedAtMonotonic !== undefined) {
      if (index >= 0) this.openGaps.splice(index, 1);
      return;
    }
    if (index >= 0) this.openGaps[index] = gap;
    else this.openGaps.push(gap);
    if (this.openGaps.length > MAX_OPEN_GAPS) this.openGaps.shift();
  }

  /**
   * Why the stream cannot deliver `symbol` now (its feed's last arrival given): the connection is not open, a
   * refusal holds, or an open gap covers the symbol and it has delivered nothing since the gap opened.
   */
  cannotDeliver(symbol: MarketCode, lastArrival: number | undefined): CannotDeliver | undefined {
    if (!this.streaming) return undefined;
    if (this.state !== 'open') return { detail: `websocket ${this.state}`, since: this.since };
    const refusal = this.refused;
    if (refusal !== undefined) {
      const detail = `websocket refused (${refusal.kind}): ${refusal.error.message}`;
      return { detail, since: this.refusedSince ?? refusal.atMonotonic };
    }
    for (const gap of this.openGaps) {
      const covers = gap.symbols.length === 0 || gap.symbols.includes(symbol);
      const deliveredSince = lastArrival !== undefined && lastArrival > gap.startedAtMonotonic;
      if (covers && !deliveredSince) {
        const openFor = Math.round(this.clock.monotonic() - gap.startedAtMonotonic);
        return { detail: `websocket gap open for ${openFor} ms (${gap.reason})`, since: gap.startedAtMonotonic };
      }
    }
    return undefined;
  }
}
