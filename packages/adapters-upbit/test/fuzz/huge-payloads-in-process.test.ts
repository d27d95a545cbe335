import { createSeededRandom, isDataValidationError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { nested } from './support/bad-values.js';
import { runBounded } from './support/bounded.js';
import { decodeRestBody } from './support/decoders.js';
import { replaceFirstScalar, utf8Bytes, withExtraField } from './support/json-text.js';
import {
  codeKey,
  type PayloadKind,
  REST_KINDS,
  type RestKindId,
  WS_FORMATS,
  WS_KIND_IDS,
  WS_KINDS,
} from './support/payload-kinds.js';
import { decodeWsBytes } from './support/ws-decoders.js';

/**
 * In process: a few 10 MB payloads per kind (slow, so only a few) through the REST and WebSocket decode paths.
 * Each runs under a hard limit (`runBounded`): a decoder that is super-linear on some input fails that test instead
 * of hanging the run. The socket path with 10 MB frames is in `ws-socket-end-to-end.test.ts`.
 */
const TEN_MB = 10 * 1024 * 1024;
const LIMIT_MS = 5_000;

type Outcome =
  | { readonly ok: true; readonly values: readonly unknown[] }
  | { readonly ok: false; readonly error: unknown };

function decode(kind: PayloadKind, bytes: Uint8Array): Outcome {
  return runBounded((): Outcome => {
    try {
      if (kind.channel === 'rest') return { ok: true, values: decodeRestBody(kind.kind as RestKindId, bytes) };
      return { ok: true, values: decodeWsBytes(bytes) };
    } catch (error) {
      return { ok: false, error };
    }
  }, LIMIT_MS);
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message.slice(0, 200)}` : String(error);
}

/** REST: refused with a DataValidationError. WebSocket: exactly one malformed frame (with one). */
function expectRefused(kind: PayloadKind, outcome: Outcome): void {
  if (kind.channel === 'rest') {
    if (outcome.ok) throw new Error(`accepted a bad 10 MB body (${outcome.values.length} values)`);
    if (!isDataValidationError(outcome.error))
      throw new Error(`refused with an untyped error: ${errorText(outcome.error)}`);
    return;
  }
  if (!outcome.ok) throw new Error(`the frame decoder threw: ${errorText(outcome.error)}`);
  const frames = outcome.values as readonly { kind: string; error?: unknown }[];
  expect(frames.map((frame) => frame.kind)).toEqual(['malformed']);
  expect(isDataValidationError(frames[0]?.error)).toBe(true);
}

function firstNumericKey(kind: PayloadKind): string {
  const numeric = kind.fields.find((field) => ['nonNegative', 'number'].includes(field.type) && field.path.length <= 1);
  return numeric?.key ?? codeKey(kind);
}

const KINDS: readonly PayloadKind[] = [
  ...Object.values(REST_KINDS),
  ...WS_FORMATS.flatMap((format) => WS_KIND_IDS.map((id) => WS_KINDS[format][id])),
];

describe.each(KINDS)('$title, in process: 10 MB payloads', (kind) => {
  it('a market code of 10 MB is refused', () => {
    const text = replaceFirstScalar(kind.text, codeKey(kind), `"KRW-${'B'.repeat(TEN_MB)}"`);
    expectRefused(kind, decode(kind, utf8Bytes(text)));
  });

  it('a number of 10 million digits is refused', () => {
    const text = replaceFirstScalar(kind.text, firstNumericKey(kind), '9'.repeat(TEN_MB));
    expectRefused(kind, decode(kind, utf8Bytes(text)));
  });

  it('good data is kept: the recorded payload plus an unknown field holding a 10 MB string decodes unchanged', () => {
    const original = decode(kind, utf8Bytes(kind.text));
    const padded = decode(kind, utf8Bytes(withExtraField(kind.text, `"x_fuzz_padding":"${'A'.repeat(TEN_MB)}"`)));
    if (!padded.ok)
      throw new Error(`refused a good payload carrying a 10 MB unknown field: ${errorText(padded.error)}`);
    expect(padded).toEqual(original);
  });
});

const CHANNEL_KINDS: readonly PayloadKind[] = [REST_KINDS.trade, WS_KINDS.DEFAULT.trade];

describe.each(CHANNEL_KINDS)('$title, in process: 10 MB of garbage', (kind) => {
  it('10 MB of unclosed nesting is refused', () => {
    expectRefused(kind, decode(kind, utf8Bytes(nested('unclosed', TEN_MB / 3))));
  });

  it('10 MB of random bytes is refused', () => {
    const random = createSeededRandom(99);
    const bytes = new Uint8Array(TEN_MB);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random.next() * 256);
    expectRefused(kind, decode(kind, bytes));
  });

  it('a body cut off inside a 10 MB string of escaped quotes is refused (in bounded time)', () => {
    // The recorded trade carries a 17-digit sequential_id, so parseJsonExact takes its big-integer path.
    const text = withExtraField(kind.text, `"x_fuzz_padding":"${'\\"'.repeat(TEN_MB / 2)}`);
    const cut = text.slice(0, text.lastIndexOf('\\"') + 2);
    expectRefused(kind, decode(kind, utf8Bytes(cut)));
  });
});
