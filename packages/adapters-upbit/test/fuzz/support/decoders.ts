import { isMarketCode } from '@marketdata/domain';
import type * as v from 'valibot';
import {
  mapCandle,
  mapMarket,
  mapOrderBook,
  mapTicker,
  mapTrade,
  parseJsonExact,
  upbitCandleListSchema,
  upbitMarketListSchema,
  upbitOrderBookListSchema,
  upbitTickerListSchema,
  upbitTradeListSchema,
} from '../../../src/rest/index.js';
import { parseWithSchema } from '../../../src/shared/index.js';
import type { RestKindId } from './payload-kinds.js';

/**
 * The decode paths under attack, composed from the adapter's own exported functions exactly as the adapter composes
 * them: REST body bytes → `Response.text()` decoding (UTF-8, BOM stripped, bad bytes replaced) → `parseJsonExact` →
 * the endpoint's valibot list schema (`parseWithSchema`, as `UpbitRestClient` does) → the domain mapper (as
 * `UpbitRestSource` does). The WebSocket path is in `ws-decoders.ts`.
 */
const TIMING = { receivedAt: 1_773_240_060_000, latencyMs: 0 };
const bodyDecoder = new TextDecoder('utf-8');

function restDecode<TSchema extends v.GenericSchema>(
  schema: TSchema,
  bytes: Uint8Array,
  operation: string,
): v.InferOutput<TSchema> {
  const json = parseJsonExact(bodyDecoder.decode(bytes), { channel: 'rest', operation });
  return parseWithSchema(schema, json, { channel: 'rest', operation, what: `fuzz ${operation}` });
}

/** Decodes a REST body to domain values; throws whatever the adapter throws. */
export function decodeRestBody(kind: RestKindId, bytes: Uint8Array): readonly object[] {
  switch (kind) {
    case 'ticker':
      return restDecode(upbitTickerListSchema, bytes, 'getTickers').map((raw) => mapTicker(raw, TIMING));
    case 'orderbook':
      return restDecode(upbitOrderBookListSchema, bytes, 'getOrderBooks').map((raw) => mapOrderBook(raw, TIMING));
    case 'trade':
      return restDecode(upbitTradeListSchema, bytes, 'getTrades').map((raw) => mapTrade(raw, TIMING));
    case 'candle':
      return restDecode(upbitCandleListSchema, bytes, 'getMinuteCandles').map((raw) =>
        mapCandle(raw, { unit: 'minutes', size: 1 }, TIMING),
      );
    case 'market':
      return restDecode(upbitMarketListSchema, bytes, 'getMarkets').map(mapMarket);
  }
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

/**
 * Checks that an accepted value is usable: every number finite, the symbol a valid market code, a trade's
 * `sequentialId` exact digits. Returns the first problem, or undefined.
 */
export function problemWith(value: unknown, path = '$'): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = problemWith(item, `${path}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if ('symbol' in record && !isMarketCode(record.symbol)) return `${path}.symbol is ${String(record.symbol)}`;
  if ('sequentialId' in record && !/^-?\d+$/.test(String(record.sequentialId))) {
    return `${path}.sequentialId is ${String(record.sequentialId)}`;
  }
  for (const [key, item] of Object.entries(record)) {
    const problem = problemWith(item, `${path}.${key}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
