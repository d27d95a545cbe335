import type {
  ConnectionEvent,
  Logger,
  MalformedFrameReport,
  MarketCode,
  StreamGap,
  StreamKind,
  StreamObserver,
  StreamRefusal,
  StreamType,
} from '@marketdata/domain';

/** The observers of one source. A throwing observer is logged and never breaks the socket's handling. */
export class Observers {
  private readonly all = new Set<{ readonly observer: StreamObserver }>();

  constructor(private readonly logger: Logger) {}

  add(observer: StreamObserver): () => void {
    // A wrapper per registration, so the same observer added twice is also removed twice.
    const entry = { observer };
    this.all.add(entry);
    return () => {
      this.all.delete(entry);
    };
  }

  get size(): number {
    return this.all.size;
  }

  arrival(kind: StreamKind, symbol: MarketCode, atMonotonic: number, streamType: StreamType | undefined): void {
    for (const { observer } of this.all) {
      if (observer.onArrival !== undefined)
        this.call(() => observer.onArrival?.(kind, symbol, atMonotonic, streamType));
    }
  }

  connection(event: ConnectionEvent): void {
    for (const { observer } of [...this.all]) this.call(() => observer.onConnection?.(event));
  }

  gap(gap: StreamGap): void {
    for (const { observer } of [...this.all]) this.call(() => observer.onGap?.(gap));
  }

  refusal(refusal: StreamRefusal): void {
    for (const { observer } of [...this.all]) this.call(() => observer.onRefusal?.(refusal));
  }

  malformed(report: MalformedFrameReport): void {
    for (const { observer } of [...this.all]) this.call(() => observer.onMalformed?.(report));
  }

  clear(): void {
    this.all.clear();
  }

  private call(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logger.error('WebSocket source observer threw', { error: String(error) });
    }
  }
}
