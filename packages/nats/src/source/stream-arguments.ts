import { DataValidationError, type StreamKind, type TradeQuery } from '@marketdata/domain';
import { STREAM_KINDS } from '../subjects.js';

/** Checks of the streaming source's arguments, and the sample of a malformed message. */

const textDecoder = new TextDecoder();

/** The start of a message, for a malformed-message report. */
export function sampleOf(data: Uint8Array): string {
  return textDecoder.decode(data.subarray(0, 200));
}

/** A stream has no history: `cursor`, `to` and `daysAgo` are for the REST source. */
export function refuseHistory(query: TradeQuery): void {
  for (const key of ['cursor', 'to', 'daysAgo'] as const) {
    if (query[key] !== undefined) {
      throw new DataValidationError(`getTrades on the stream has no history: ${key} is for the REST source`, {
        channel: 'websocket',
        operation: 'getTrades',
        path: key,
        value: query[key],
      });
    }
  }
}

export function checkKind(kind: StreamKind): void {
  if (!(STREAM_KINDS as readonly string[]).includes(kind)) {
    throw new DataValidationError(`Unknown stream kind ${JSON.stringify(kind)}`, {
      channel: 'websocket',
      path: 'kind',
      value: kind,
    });
  }
}
