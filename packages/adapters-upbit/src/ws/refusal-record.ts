import type { MarketDataError, RefusalKind, StreamRefusal } from '@marketdata/domain';

/** The refusal that holds now (cleared once data flows again), with identical refusals in a row counted. */
export class RefusalRecord {
  private current: StreamRefusal | undefined;

  get value(): StreamRefusal | undefined {
    return this.current;
  }

  /** `repeats` when the caller counts them itself (error frames are counted per subscription set). */
  record(
    kind: RefusalKind,
    error: MarketDataError,
    atMonotonic: number,
    retryAtMonotonic: number | undefined,
    repeats?: number,
  ): StreamRefusal {
    const previous = this.current;
    const same = previous !== undefined && previous.kind === kind && previous.error.message === error.message;
    this.current = {
      kind,
      error,
      atMonotonic,
      retryAtMonotonic,
      repeats: repeats ?? (same ? previous.repeats + 1 : 1),
    };
    return this.current;
  }

  clear(): void {
    this.current = undefined;
  }

  /**
   * The refusal that stands until a known time (429, 418), or for good (`quiet`: a set refused
   * `maxIdenticalRefusals` times): new callers are told at once instead of waiting.
   */
  standing(nowMonotonic: number, quiet: boolean): StreamRefusal | undefined {
    const refusal = this.current;
    if (refusal === undefined) return undefined;
    if (refusal.kind === 'error-frame') return quiet ? refusal : undefined;
    if (refusal.kind !== 'blocked' && refusal.kind !== 'rate-limited') return undefined;
    return (refusal.retryAtMonotonic ?? Number.POSITIVE_INFINITY) > nowMonotonic ? refusal : undefined;
  }
}
