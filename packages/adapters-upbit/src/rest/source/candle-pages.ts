import {
  CANDLE_SIZES,
  type Candle,
  type CandleInterval,
  type CandleQuery,
  DataValidationError,
  isValidCandleInterval,
  type MarketCode,
  type RequestOptions,
} from '@marketdata/domain';
import { formatUpbitTo } from '../../shared/upbit-date.js';
import type { UpbitResponse } from '../http/request-executor.js';
import { mapCandle } from '../mappers/map-candle.js';
import { restTiming } from '../mappers/rest-provenance.js';
import type { UpbitCandle } from '../schemas/candle-schema.js';
import type { UpbitCandleParams, UpbitMinuteUnit, UpbitRestClient } from '../upbit-rest-client.js';

/** Upbit's most candles per request (documented). */
export const UPBIT_CANDLES_PER_REQUEST = 200;

type CandlePage = (
  params: UpbitCandleParams,
  options: RequestOptions,
) => Promise<UpbitResponse<readonly UpbitCandle[]>>;

function invalid(path: string, value: unknown, message: string): DataValidationError {
  return new DataValidationError(message, { channel: 'rest', operation: 'getCandles', path, value });
}

/** The client endpoint of an interval; `DataValidationError` for a unit or size Upbit does not offer. */
export function candleEndpoint(client: UpbitRestClient, code: MarketCode, interval: CandleInterval): CandlePage {
  if (!isValidCandleInterval(interval)) {
    const sizes = Object.hasOwn(CANDLE_SIZES, interval.unit) ? CANDLE_SIZES[interval.unit] : undefined;
    const message =
      sizes === undefined
        ? `Unknown candle unit ${JSON.stringify(String(interval.unit))}: expected ${Object.keys(CANDLE_SIZES).join(', ')}`
        : `${interval.unit} candles come in ${sizes.join(', ')}`;
    throw invalid(
      sizes === undefined ? 'interval.unit' : 'interval.size',
      sizes === undefined ? interval.unit : interval.size,
      message,
    );
  }
  switch (interval.unit) {
    case 'seconds':
      return (params, options) => client.getSecondCandles(code, params, options);
    case 'minutes':
      return (params, options) => client.getMinuteCandles(interval.size as UpbitMinuteUnit, code, params, options);
    case 'days':
      return (params, options) => client.getDayCandles(code, params, options);
    case 'weeks':
      return (params, options) => client.getWeekCandles(code, params, options);
    case 'months':
      return (params, options) => client.getMonthCandles(code, params, options);
    case 'years':
      return (params, options) => client.getYearCandles(code, params, options);
  }
}

/** `count` (undefined: Upbit's default, one request) checked against the largest a call may page for. */
export function checkedCandleCount(count: unknown, maxCount: number): number | undefined {
  if (count === undefined) return undefined;
  if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 1 && count <= maxCount) return count;
  throw invalid('count', count, `count must be an integer 1..${maxCount} (more are paged 200 per request)`);
}

function checkedTo(to: unknown): number | undefined {
  if (to === undefined) return undefined;
  if (typeof to === 'number' && Number.isFinite(to) && to > 0 && to <= 8.64e15) return to;
  throw invalid('to', to, 'to must be epoch milliseconds');
}

function checkEntry(raw: UpbitCandle, code: MarketCode, interval: CandleInterval): void {
  if (raw.market !== code)
    throw invalid('$.market', raw.market, `Upbit answered a candle of ${raw.market} for ${code}`);
  // `unit` is the minutes per candle on minute candles; another value means another interval than asked for.
  if (raw.unit !== undefined && interval.unit === 'minutes' && raw.unit !== interval.size) {
    throw invalid('$.unit', raw.unit, `Upbit answered ${raw.unit}-minute candles for ${interval.size}-minute ones`);
  }
}

export interface CandlePaging {
  readonly page: CandlePage;
  readonly code: MarketCode;
  readonly query: CandleQuery;
  /** The most candles one call may ask for (several requests). */
  readonly maxCount: number;
}

/**
 * Candles newest first. Without `count`: one request (Upbit answers its default, 1). With `count`: requests of at
 * most 200 walking `to` back, each paced on the shared `candles` budget and bound by the caller's signal; the next
 * `to` is the oldest `openTime` seen (exclusive), so a seam never repeats a candle. It stops when a page comes back
 * shorter than asked (Upbit has no more: a candle exists only for a period with a trade, and seconds only for the
 * last 3 months) or brings nothing new. Candles at or after `to` are dropped (the bound is sent in whole seconds,
 * rounded up).
 */
export async function pageCandles(paging: CandlePaging): Promise<readonly Candle[]> {
  const { page, code, query, maxCount } = paging;
  const { interval, signal } = query;
  const count = checkedCandleCount(query.count, maxCount);
  let before = checkedTo(query.to);
  const out: Candle[] = [];
  const wanted = count ?? 1;
  // Set once a page brought a candle at or after its `to` (an answer treating the bound as inclusive): later pages
  // ask one more, so the repeat dropped at each seam does not cost a whole request.
  let seamRepeats = false;
  while (out.length < wanted) {
    const remaining = wanted - out.length + (seamRepeats ? 1 : 0);
    const ask = count === undefined ? undefined : Math.min(UPBIT_CANDLES_PER_REQUEST, remaining);
    const params = { count: ask, to: before === undefined ? undefined : formatUpbitTo(before) };
    const response = await page(params, { signal });
    const timing = restTiming(response);
    let oldest = before;
    let added = 0;
    for (const raw of response.data) {
      checkEntry(raw, code, interval);
      const openTime = raw.candle_date_time_utc;
      if (before !== undefined && openTime >= before) {
        seamRepeats ||= before !== query.to; // not the caller's own bound (sent rounded up to a second)
        continue;
      }
      if (out.length < wanted) out.push(mapCandle(raw, interval, timing));
      added++;
      if (oldest === undefined || openTime < oldest) oldest = openTime;
    }
    if (ask === undefined || response.data.length < ask || added === 0) break;
    before = oldest;
  }
  return out;
}
