import type {
  Clock,
  ConnectionEvent,
  Logger,
  MalformedFrameReport,
  MarketCode,
  MarketDataError,
  RefusalKind,
  StreamGap,
  StreamObserver,
  StreamRefusal,
} from '@marketdata/domain';
import { GapLog, type Instant } from './gap-log.js';
import { Observers } from './observers.js';
import { RefusalRecord } from './refusal-record.js';
import type { ConnectionLoss } from './socket-session.js';

/**
 * The facts a source reports beyond records: connection events, gaps (wall and monotonic times) and refusals, kept
 * for `status()` and pushed to observers as they happen. No judgement: a gap is a stretch without data, opened
 * when a connection carrying wanted symbols is lost and closed by the first data frame afterwards (a reopened
 * socket that has not delivered keeps it open).
 */
export class StreamFacts {
  private readonly gapLog: GapLog;
  private readonly refusals = new RefusalRecord();
  private readonly observers: Observers;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    maxGaps: number,
  ) {
    this.gapLog = new GapLog(maxGaps);
    this.observers = new Observers(logger);
  }

  observe(observer: StreamObserver): () => void {
    return this.observers.add(observer);
  }

  get observerCount(): number {
    return this.observers.size;
  }

  get gaps(): readonly StreamGap[] {
    return this.gapLog.list();
  }

  get gapCount(): number {
    return this.gapLog.count;
  }

  /** A frame was skipped as unusable: observers hear it (the count is the malformed reporter's). */
  malformed(report: MalformedFrameReport): void {
    this.observers.malformed(report);
  }

  get refusal(): StreamRefusal | undefined {
    return this.refusals.value;
  }

  /** The refusal new callers are told at once (see `RefusalRecord.standing`). */
  standingRefusal(quiet: boolean): StreamRefusal | undefined {
    return this.refusals.standing(this.clock.monotonic(), quiet);
  }

  connection(event: ConnectionEvent): void {
    this.logger.debug('WebSocket state', { state: event.state, previous: event.previous, reason: event.reason });
    this.observers.connection(event);
  }

  /** An open socket was lost while `symbols` were wanted (none: nothing can be missed, no gap). */
  lost(loss: ConnectionLoss, symbols: readonly MarketCode[]): void {
    // Closes (Upbit's idle close is a 1006 without a close frame) are routine; a dead socket is worth a warning.
    if (loss.dead) this.logger.warn('WebSocket declared dead', { reason: loss.reason });
    else this.logger.info('WebSocket connection lost', { reason: loss.reason });
    if (symbols.length === 0) return;
    // A dead socket stopped delivering at its last frame, not when the silence was noticed.
    const at =
      loss.dead && loss.lastInboundAt !== undefined && loss.lastInboundMonotonic !== undefined
        ? { wall: loss.lastInboundAt, monotonic: loss.lastInboundMonotonic }
        : this.now();
    const gap = this.gapLog.open(at, loss.reason, symbols);
    if (gap !== undefined) this.observers.gap(gap);
  }

  /** A data record arrived (at its receive times): an open gap ends, the refusal no longer holds. */
  dataArrived(wall: number, monotonic: number): void {
    this.refusals.clear();
    if (this.gapLog.isOpen) this.closeGap({ wall, monotonic });
  }

  /** Nothing is wanted any more: nothing more can be missed. */
  nothingWanted(): void {
    if (this.gapLog.isOpen) this.closeGap(this.now());
  }

  refused(
    kind: RefusalKind,
    error: MarketDataError,
    retryAtMonotonic: number | undefined,
    repeats?: number,
  ): StreamRefusal {
    const refusal = this.refusals.record(kind, error, this.clock.monotonic(), retryAtMonotonic, repeats);
    this.logger.warn('Upbit WebSocket refusal', { kind, error: error.message, repeats: refusal.repeats });
    this.observers.refusal(refusal);
    return refusal;
  }

  arrival: Observers['arrival'] = (kind, symbol, atMonotonic, streamType) =>
    this.observers.arrival(kind, symbol, atMonotonic, streamType);

  clear(): void {
    this.observers.clear();
  }

  private closeGap(at: Instant): void {
    const gap = this.gapLog.close(at);
    if (gap !== undefined) this.observers.gap(gap);
  }

  private now(): Instant {
    return { wall: this.clock.now(), monotonic: this.clock.monotonic() };
  }
}
