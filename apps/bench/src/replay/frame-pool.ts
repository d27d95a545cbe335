import { fixtureLines, fixtureText, pythonReprToJson } from '@marketdata/fixtures';

/**
 * Frames for the replay server, built from recorded Upbit frames (the shared fixtures): each frame of a pool is the
 * recorded one with its code, price, volume, times and (trades) `sequential_id` changed, so no two frames in a row are
 * alike and nothing downstream can answer from a cache. Number spellings stay Upbit's (BigDecimal text as recorded).
 */

export type ReplayKind = 'ticker' | 'trade';
export type ReplayFormat = 'DEFAULT' | 'SIMPLE';

/** Which recorded frame each pool starts from (file, and how to read it). */
export const RECORDED_SOURCES: Readonly<Record<ReplayKind, Readonly<Record<ReplayFormat, string>>>> = {
  ticker: {
    DEFAULT: 'ws-ticker-default.json (live, 2025)',
    SIMPLE: 'ws-ticker-simple-2019-pyrepr.txt (live, 2019)',
  },
  trade: {
    DEFAULT: 'ws-trade-json-list-docs.json first frame (2024, best quotes, id beyond 2^53)',
    SIMPLE: 'ws-trade-simple-2019-pyrepr.txt (live, 2019)',
  },
};

/** Removes JSON whitespace outside strings: Upbit sends compact frames; some recordings are pretty-printed. */
export function compactJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch !== ' ' && ch !== '\n' && ch !== '\r' && ch !== '\t') out += ch;
  }
  return out;
}

/** The text of the first object of a recorded JSON list. */
function firstObject(text: string): string {
  const compact = compactJson(text);
  const start = compact.indexOf('{');
  let depth = 0;
  for (let i = start; i < compact.length; i++) {
    if (compact[i] === '{') depth++;
    else if (compact[i] === '}' && --depth === 0) return compact.slice(start, i + 1);
  }
  throw new Error('no complete object in the recorded list');
}

export function recordedFrame(kind: ReplayKind, format: ReplayFormat): string {
  if (kind === 'ticker') {
    return format === 'DEFAULT'
      ? compactJson(fixtureText('ws-ticker-default.json'))
      : compactJson(pythonReprToJson(fixtureLines('ws-ticker-simple-2019-pyrepr.txt')[0] ?? ''));
  }
  return format === 'DEFAULT'
    ? firstObject(fixtureText('ws-trade-json-list-docs.json'))
    : compactJson(pythonReprToJson(fixtureText('ws-trade-simple-2019-pyrepr.txt')));
}

interface FieldNames {
  readonly code: string;
  readonly price: string;
  readonly volume: string;
  readonly timestamp: string;
  readonly tradeTimestamp: string;
  readonly sequentialId: string | undefined;
}

function namesOf(kind: ReplayKind, format: ReplayFormat): FieldNames {
  const simple = format === 'SIMPLE';
  return {
    code: simple ? 'cd' : 'code',
    price: simple ? 'tp' : 'trade_price',
    volume: simple ? 'tv' : 'trade_volume',
    timestamp: simple ? 'tms' : 'timestamp',
    tradeTimestamp: simple ? 'ttms' : 'trade_timestamp',
    sequentialId: kind === 'trade' ? (simple ? 'sid' : 'sequential_id') : undefined,
  };
}

const VALUE = '(-?[0-9.]+(?:[eE][+-]?[0-9]+)?|"[^"]*")';

/** Replaces the value of `"key":…` in a compact frame; the key must be there exactly once. */
function withValue(text: string, key: string, value: string): string {
  const pattern = new RegExp(`"${key}":${VALUE}`);
  if (!pattern.test(text)) throw new Error(`recorded frame has no ${key}`);
  return text.replace(pattern, `"${key}":${value}`);
}

function recordedValue(text: string, key: string): string {
  const match = new RegExp(`"${key}":${VALUE}`).exec(text);
  if (match?.[1] === undefined) throw new Error(`recorded frame has no ${key}`);
  return match[1];
}

/** `base` scaled by `factor`, written with as many decimals as the recorded spelling (`158201000.00000000`). */
function respell(recorded: string, factor: number): string {
  const decimals = recorded.includes('.') && !/e/i.test(recorded) ? (recorded.split('.')[1]?.length ?? 0) : 8;
  return (Number(recorded) * factor).toFixed(decimals);
}

export const TIMESTAMP_SLOT = '\u0000TMS\u0000';

export interface PoolRequest {
  readonly kind: ReplayKind;
  readonly format: ReplayFormat;
  readonly codes: readonly string[];
  readonly size: number;
  /** Leave the server time (`timestamp`/`tms`) as `TIMESTAMP_SLOT`, to be stamped when sent. */
  readonly stampWhenSent: boolean;
}

const FIRST_SEQUENTIAL_ID = 17_303_368_620_470_000n;

/** `size` frames from the recorded one, each with its own code (round robin), price, volume, times and id. */
export function buildFramePool(request: PoolRequest): readonly string[] {
  const { kind, format, codes } = request;
  if (codes.length === 0) throw new Error('a frame pool needs at least one code');
  const recorded = recordedFrame(kind, format);
  const names = namesOf(kind, format);
  const price = recordedValue(recorded, names.price);
  const volume = recordedValue(recorded, names.volume);
  const baseTime = Number(recordedValue(recorded, names.timestamp));
  const frames: string[] = [];
  for (let i = 0; i < request.size; i++) {
    let frame = withValue(recorded, names.code, JSON.stringify(codes[i % codes.length]));
    frame = withValue(frame, names.price, respell(price, 1 + ((i % 997) - 498) / 10_000));
    frame = withValue(frame, names.volume, respell(volume, 1 + (i % 89) / 10));
    frame = withValue(frame, names.tradeTimestamp, String(baseTime - 100 + i));
    frame = withValue(frame, names.timestamp, request.stampWhenSent ? TIMESTAMP_SLOT : String(baseTime + i));
    if (names.sequentialId !== undefined) {
      frame = withValue(frame, names.sequentialId, (FIRST_SEQUENTIAL_ID + BigInt(i) * 7n).toString());
    }
    frames.push(frame);
  }
  return frames;
}
