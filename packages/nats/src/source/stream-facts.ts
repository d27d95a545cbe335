import type {
  Clock,
  ConnectionState,
  Logger,
  MalformedFrameReport,
  MarketCode,
  MarketDataError,
  RefusalKind,
  StreamGap,
  StreamKind,
  StreamObserver,
  StreamRefusal,
  StreamStatus,
  StreamType,
} from '@marketdata/domain';

/** Gaps kept for `status()` (the oldest closed ones go first). */
const MAX_GAPS = 100;

/**
 * The facts the NATS source reports, in one place: connection state and epoch, gaps, the current refusal, malformed
 * messages, and the observers that hear each as it happens. It records and tells; it never grades (the backbone's
 * freshness judge does, from exactly these facts).
 */
export class StreamFacts {
  private readonly observers = new Set<{ readonly observer: StreamObserver }>();
  private readonly gaps: StreamGap[] = [];
  private state: ConnectionState = 'connecting';
  private epoch = 0;
  private reconnects = 0;
  private connectedSince: number | undefined;
  private refusal: StreamRefusal | undefined;
  private malformed = 0;
  /** Gaps to close with the next data record (losses of the whole delivery path). */
  private readonly openUntilData = new Set<StreamGap>();
  lastInboundMonotonic: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  observe(observer: StreamObserver): () => void {
    const entry = { observer };
    this.observers.add(entry);
    return () => {
      this.observers.delete(entry);
    };
  }

  get connection(): ConnectionState {
    return this.state;
  }

  /** A data record arrived: observers hear it; gaps waiting for data close; a refusal no longer holds. */
  arrival(kind: StreamKind, symbol: MarketCode, atMonotonic: number, streamType: StreamType | undefined): void {
    if (this.openUntilData.size > 0 && this.state === 'open') this.closeDeliveryGaps();
    if (this.refusal !== undefined && this.state === 'open') this.refusal = undefined;
    for (const { observer } of this.observers) {
      if (observer.onArrival !== undefined)
        this.call(() => observer.onArrival?.(kind, symbol, atMonotonic, streamType));
    }
  }

  /** The state as the liveness tracker derives it; `open` starts a new epoch. */
  setState(state: ConnectionState, reason: string | undefined): void {
    const previous = this.state;
    if (state === previous) return;
    this.state = state;
    if (state === 'open') {
      if (this.epoch > 0) this.reconnects++;
      this.epoch++;
      this.connectedSince = this.clock.now();
    } else if (previous === 'open') {
      this.connectedSince = undefined;
    }
    const event = { state, previous, reason, epoch: this.epoch, atMonotonic: this.clock.monotonic() };
    this.logger.debug('fleet connection state', { state, previous, reason });
    for (const { observer } of [...this.observers]) this.call(() => observer.onConnection?.(event));
  }

  /** Opens a gap; `untilData`: it closes with the next data record once the state is `open` again. */
  openGap(
    reason: string,
    symbols: readonly MarketCode[],
    startedAt: number,
    startedAtMonotonic: number,
    untilData: boolean,
  ): StreamGap {
    const gap: StreamGap = {
      startedAt,
      endedAt: undefined,
      startedAtMonotonic,
      endedAtMonotonic: undefined,
      reason,
      symbols,
    };
    this.gaps.push(gap);
    if (untilData) this.openUntilData.add(gap);
    this.trim();
    this.tellGap(gap);
    return gap;
  }

  closeGap(gap: StreamGap, endedAt: number, endedAtMonotonic: number): void {
    const index = this.gaps.lastIndexOf(gap);
    const closed: StreamGap = { ...gap, endedAt, endedAtMonotonic };
    if (index >= 0) this.gaps[index] = closed;
    this.openUntilData.delete(gap);
    this.tellGap(closed);
  }

  /** A gap that is over when it is known (messages lost between two that arrived). */
  recordClosedGap(gap: StreamGap): void {
    this.gaps.push(gap);
    this.trim();
    this.tellGap(gap);
  }

  hasDeliveryGap(): boolean {
    return this.openUntilData.size > 0;
  }

  /** A refusal; the same kind and message again counts a repeat. */
  refuse(kind: RefusalKind, error: MarketDataError, retryAtMonotonic: number | undefined): void {
    const previous = this.refusal;
    const same = previous !== undefined && previous.kind === kind && previous.error.message === error.message;
    const refusal: StreamRefusal = {
      kind,
      error,
      atMonotonic: same ? previous.atMonotonic : this.clock.monotonic(),
      retryAtMonotonic,
      repeats: same ? previous.repeats + 1 : 1,
    };
    this.refusal = refusal;
    if (same) return;
    for (const { observer } of [...this.observers]) this.call(() => observer.onRefusal?.(refusal));
  }

  clearRefusal(): void {
    this.refusal = undefined;
  }

  currentRefusal(): StreamRefusal | undefined {
    return this.refusal;
  }

  malformedMessage(report: MalformedFrameReport): void {
    this.malformed++;
    if (this.malformed <= 10 || this.malformed % 1000 === 0) {
      this.logger.warn('malformed fleet message skipped', { kind: report.kind, error: report.error.message });
    }
    for (const { observer } of [...this.observers]) this.call(() => observer.onMalformed?.(report));
  }

  status(): StreamStatus {
    return {
      state: this.state,
      connectedSince: this.connectedSince,
      epoch: this.epoch,
      lastInboundMonotonic: this.lastInboundMonotonic,
      reconnects: this.reconnects,
      gaps: [...this.gaps],
      malformedFrames: this.malformed,
      refusal: this.refusal,
    };
  }

  clearObservers(): void {
    this.observers.clear();
  }

  private closeDeliveryGaps(): void {
    const wall = this.clock.now();
    const monotonic = this.clock.monotonic();
    for (const gap of [...this.openUntilData]) this.closeGap(gap, wall, monotonic);
  }

  private tellGap(gap: StreamGap): void {
    for (const { observer } of [...this.observers]) this.call(() => observer.onGap?.(gap));
  }

  private trim(): void {
    while (this.gaps.length > MAX_GAPS) {
      const index = this.gaps.findIndex((gap) => gap.endedAt !== undefined);
      this.gaps.splice(Math.max(index, 0), 1);
    }
  }

  private call(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logger.error('fleet source observer threw', { error: String(error) });
    }
  }
}
