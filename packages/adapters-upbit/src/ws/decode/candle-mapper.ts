import { CANDLE_STREAM_KINDS, type Candle, type CandleStreamKind, candleStreamInterval } from '@marketdata/domain';
import * as v from 'valibot';
import { upbitEpochMs, upbitMarketCode, upbitNonNegative, upbitZonelessUtc } from '../../shared/schemas.js';
import { streamTypeSchema } from './common-schemas.js';
import { type MapResult, validateFrame } from './frame-validation.js';
import { CANDLE_SIMPLE_KEYS, expandSimpleKeys } from './simple-keys.js';

// No real candle frame has been recorded: the fields are Upbit's documented DEFAULT ones (SIMPLE keys in
// `CANDLE_SIMPLE_KEYS`). The ones used are validated; `candle_date_time_kst` and anything else are tolerated.
// What `timestamp` means on these frames is not documented beyond "timestamp": it becomes `exchangeTimestamp`, and
// `lastTradeTimestamp` stays undefined (on REST it is documented as the last trade's time).
const candleFrameSchema = v.object({
  type: v.picklist(CANDLE_STREAM_KINDS),
  code: upbitMarketCode,
  candle_date_time_utc: upbitZonelessUtc,
  opening_price: upbitNonNegative,
  high_price: upbitNonNegative,
  low_price: upbitNonNegative,
  trade_price: upbitNonNegative,
  candle_acc_trade_volume: upbitNonNegative,
  candle_acc_trade_price: upbitNonNegative,
  timestamp: upbitEpochMs,
  stream_type: streamTypeSchema,
});

/**
 * A candle frame (`candle.1s` … `candle.240m`, DEFAULT or SIMPLE) to the domain `Candle` of that interval. The same
 * period may come several times (the last one wins) and the SNAPSHOT may be the previous period's candle: each
 * frame is one `Candle` as sent, the feed keeps the newest period.
 */
export function mapCandleFrame(
  raw: Readonly<Record<string, unknown>>,
  simple: boolean,
  receivedAt: number,
  receivedAtMonotonic: number,
): MapResult<Candle> {
  const input = simple ? expandSimpleKeys(raw, CANDLE_SIMPLE_KEYS) : raw;
  const checked = validateFrame('candle', candleFrameSchema, input, simple, [CANDLE_SIMPLE_KEYS]);
  if (!checked.ok) return checked;
  const frame = checked.value;
  return {
    ok: true,
    value: {
      symbol: frame.code,
      interval: candleStreamInterval(frame.type as CandleStreamKind),
      openTime: frame.candle_date_time_utc,
      open: frame.opening_price,
      high: frame.high_price,
      low: frame.low_price,
      close: frame.trade_price,
      volume: frame.candle_acc_trade_volume,
      turnover: frame.candle_acc_trade_price,
      lastTradeTimestamp: undefined,
      prevClose: undefined,
      changePrice: undefined,
      changeRate: undefined,
      firstDayOfPeriod: undefined,
      exchangeTimestamp: frame.timestamp,
      receivedAt,
      receivedAtMonotonic,
      source: 'websocket',
      streamType: frame.stream_type,
    },
  };
}
