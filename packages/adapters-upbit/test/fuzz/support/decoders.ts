// The decode paths under attack live beside this file: REST in `rest-decoders.ts`, WebSocket in `ws-decoders.ts`
// (each loads only its own side of the adapter), the usable-value check in `usable-values.ts`. Re-exported here for
// the tests that use either channel.
export { decodeRestBody } from './rest-decoders.js';
export { problemWith } from './usable-values.js';

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
