import { messageText } from '../../../src/ws/decode/message-text.js';
import { type DecodedWsFrame, decodeWsFrames } from '../../../src/ws/index.js';

// The REST decode path is in `rest-decoders.ts` and the usable-value check in `usable-values.ts` (neither loads the
// WebSocket side); both are re-exported here for the tests that use either channel.
export { decodeRestBody } from './rest-decoders.js';
export { problemWith } from './usable-values.js';

/**
 * The WebSocket decode path under attack, composed from the adapter's own functions exactly as the adapter composes
 * them: message bytes → `messageText` (as the connection does) → `decodeWsMessage`.
 */
const TIMING = { receivedAt: 1_773_240_060_000 };

/** Decodes one WebSocket message (binary frame bytes) into the frames the adapter would handle. */
export function decodeWsBytes(bytes: Uint8Array): readonly DecodedWsFrame[] {
  return decodeWsFrames(messageText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), TIMING.receivedAt);
}

/**
 * How many frames the adapter must count for a refused message: one per element of a JSON list (Upbit's `*_LIST`
 * formats), otherwise one. Worked out independently of the adapter, with `JSON.parse` on the same text.
 */
export function expectedFrameCount(bytes: Uint8Array): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return Array.isArray(parsed) ? parsed.length : 1;
  } catch {
    return 1;
  }
}
