import type { Candle, CandleInterval } from '@marketdata/domain';
import type { UpbitCandle } from '../schemas/candle-schema.js';
import type { RestTiming } from './rest-provenance.js';

/**
 * Candle entry → `Candle`. `openTime` is `candle_date_time_utc`; `exchangeTimestamp` and `lastTradeTimestamp` are
 * its `timestamp` (documented as the time the candle's last trade was stored). The per-unit fields come through
 * where the entry carries them (days: previous close and signed change; weeks, months, years: the first day).
 */
export function mapCandle(raw: UpbitCandle, interval: CandleInterval, timing: RestTiming): Candle {
  return {
    symbol: raw.market,
    interval,
    openTime: raw.candle_date_time_utc,
    open: raw.opening_price,
    high: raw.high_price,
    low: raw.low_price,
    close: raw.trade_price,
    volume: raw.candle_acc_trade_volume,
    turnover: raw.candle_acc_trade_price,
    lastTradeTimestamp: raw.timestamp,
    prevClose: raw.prev_closing_price,
    changePrice: raw.change_price,
    changeRate: raw.change_rate,
    firstDayOfPeriod: raw.first_day_of_period,
    exchangeTimestamp: raw.timestamp,
    receivedAt: timing.receivedAt,
    receivedAtMonotonic: timing.receivedAtMonotonic,
    latencyMs: timing.latencyMs,
    source: 'rest',
  };
}
