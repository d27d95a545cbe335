import type { Logger } from '@marketdata/domain';
import type { DecodedWebSocketFrame, WebSocketMalformedKind } from './decode/frame-decoder.js';

type MalformedFrame = Extract<DecodedWebSocketFrame, { kind: 'malformed' }>;

/** Counts refused frames per kind and logs the first of each kind with a sample; the rest only at debug. */
export class MalformedReporter {
  private readonly counts = new Map<WebSocketMalformedKind, number>();
  private totalCount = 0;

  constructor(private readonly logger: Logger) {}

  report(frame: MalformedFrame): void {
    this.totalCount++;
    const seen = this.counts.get(frame.frameKind) ?? 0;
    this.counts.set(frame.frameKind, seen + 1);
    const fields = { kind: frame.frameKind, path: frame.error.path, error: frame.error.message, sample: frame.sample };
    if (seen === 0) {
      this.logger.warn('Malformed WebSocket frame skipped (logged once per kind; later ones are only counted)', fields);
    } else {
      this.logger.debug('Malformed WebSocket frame skipped', { kind: frame.frameKind, path: frame.error.path });
    }
  }

  get total(): number {
    return this.totalCount;
  }

  byKind(): Readonly<Partial<Record<WebSocketMalformedKind, number>>> {
    return Object.fromEntries(this.counts);
  }
}
