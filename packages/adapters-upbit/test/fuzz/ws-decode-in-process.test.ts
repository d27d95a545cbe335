import { isDataValidationError } from '@marketdata/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodedWebSocketFrame } from '../../src/ws/wire.js';
import { type BadCase, CATEGORIES, categoryArbitrary } from './support/bad-payloads.js';
import { nested } from './support/bad-values.js';
import { expectedFrameCount, problemWith } from './support/decoders.js';
import { BAD_PAYLOADS_PER_KIND, NOISE_RUNS, RUNS_PER_CATEGORY, seedFor } from './support/fuzz-settings.js';
import { harmlessNoise } from './support/harmless-noise.js';
import { utf8Bytes } from './support/json-text.js';
import { type PayloadKind, WS_FORMATS, WS_KIND_IDS, WS_KINDS } from './support/payload-kinds.js';
import { decodeWsBytes } from './support/ws-decoders.js';

/**
 * In process: 10,000 generated bad messages per WebSocket frame kind and format through the adapter's frame decode
 * path (`webSocketMessageText` on the binary frame, then `decodeWebSocketMessage`). The decoder must never throw; every refused
 * frame comes out as `malformed` with a DataValidationError, one per frame (so the stream counts each exactly once).
 * The same frames over a real socket are in `ws-socket-end-to-end.test.ts`.
 */
function errorText(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message.slice(0, 300)}` : String(error);
}

function decodeNeverThrowing(bytes: Uint8Array): readonly DecodedWebSocketFrame[] {
  try {
    return decodeWsBytes(bytes);
  } catch (error) {
    throw new Error(
      `the frame decoder threw (a stream would lose this frame and crash its handler): ${errorText(error)}`,
    );
  }
}

function checkBadMessage(bad: BadCase): void {
  const frames = decodeNeverThrowing(bad.bytes);
  const expected = expectedFrameCount(bad.bytes);
  if (frames.length !== expected) throw new Error(`${frames.length} frames out of a message holding ${expected}`);
  for (const frame of frames) {
    if (frame.kind === 'malformed') {
      if (!isDataValidationError(frame.error)) throw new Error(`malformed frame without a DataValidationError`);
      if (frame.error.channel !== 'websocket') throw new Error(`DataValidationError without channel 'websocket'`);
      continue;
    }
    if (bad.mustFail) throw new Error(`accepted a bad frame as ${frame.kind}: ${JSON.stringify(frame).slice(0, 300)}`);
    if (frame.kind === 'status' || frame.kind === 'error') throw new Error(`a data frame decoded as ${frame.kind}`);
    const problem = problemWith(frame.value);
    if (problem !== undefined) throw new Error(`accepted a frame into unusable values: ${problem}`);
  }
}

const KINDS: readonly PayloadKind[] = WS_FORMATS.flatMap((format) => WS_KIND_IDS.map((id) => WS_KINDS[format][id]));

describe.each(KINDS)('$title, in process: bad frames are counted as malformed, never thrown', (kind) => {
  it(`the recorded frame decodes; the categories below add up to ${BAD_PAYLOADS_PER_KIND.toLocaleString('en')} bad frames`, () => {
    expect(BAD_PAYLOADS_PER_KIND).toBeGreaterThanOrEqual(10_000);
    expect(decodeWsBytes(utf8Bytes(kind.text)).map((frame) => frame.kind)).toEqual([kind.kind]);
  });

  it.each(CATEGORIES.map((category) => [category, RUNS_PER_CATEGORY[category]] as const))(
    '%s: %i generated frames',
    (category, runs) => {
      fc.assert(fc.property(categoryArbitrary(kind, category), checkBadMessage), {
        numRuns: runs,
        seed: seedFor(`${kind.title}/${category}`),
      });
    },
  );

  it(`good data is kept: ${NOISE_RUNS} recorded frames with unknown fields, re-spelt numbers and reordered keys decode unchanged`, () => {
    const original = decodeWsBytes(utf8Bytes(kind.text));
    fc.assert(
      fc.property(harmlessNoise(kind), (noisy) => {
        expect(decodeWsBytes(noisy.bytes)).toEqual(original);
      }),
      { numRuns: NOISE_RUNS, seed: seedFor(`${kind.title}/noise`) },
    );
  });
});

describe('WS frame decoder, in process: smallest known crash', () => {
  // Found by the deep-nesting category above. JSON.parse copes with any depth, but the decoder's message for a
  // frame of unknown shape calls JSON.stringify on the offending value, which overflows the stack from about 5,000
  // levels: the RangeError escapes `decodeWebSocketMessage` (documented "never throws") and, on a live socket, the `ws`
  // message handler.
  it.each([
    ['a list of lists', nested('arrays', 10_000)],
    ['a frame whose type is a deeply nested list', `{"type":${nested('arrays', 10_000)}}`],
    ['a SIMPLE frame whose ty is a deeply nested object', `{"ty":${nested('objects', 10_000)}}`],
  ])('%s, 10,000 levels deep, is one malformed frame', (_name, text) => {
    const frames = decodeNeverThrowing(utf8Bytes(text));
    expect(frames.map((frame) => frame.kind)).toEqual(['malformed']);
  });
});
