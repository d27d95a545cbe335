import type { CandleRow } from '../model/candle-history.js';
import type { CandleSpec } from '../model/candle-periods.js';
import { bigDecimalText, fixed8OrZero, scaledText, simpleText } from './number-text.js';
import { candleTimeKst, candleTimeUtc, dashedDateUtc } from './time-text.js';
import type { StreamType } from './ws-payloads.js';

/**
 * Candle payloads. REST: the common fields in the recorded order (fixtures rest-candles-*.json), then `unit`
 * (minutes), `prev_closing_price, change_price, change_rate` (days, as the byte-exact capture), or
 * `first_day_of_period` (weeks, months, years, documented); seconds candles have the common fields only
 * (documented). WebSocket: the documented candle frame fields (`type, code, candle_date_time_utc,
 * candle_date_time_kst, opening_price, high_price, low_price, trade_price, candle_acc_trade_volume,
 * candle_acc_trade_price, timestamp, stream_type`, SIMPLE `ty, cd, cdttmu, cdttmk, op, hp, lp, tp, catv, catp,
 * tms, st`). No real candle frame is on record: its number spelling (the REST candle's) and `timestamp` (the
 * candle's last trade, as on REST) are chosen here.
 */

export function candlePrice(value: number): string {
  return scaledText(value, 8);
}

export function candleAmount(value: number): string {
  return bigDecimalText(value, 8);
}

function head(code: string, c: CandleRow): string {
  return (
    `{"market":"${code}","candle_date_time_utc":"${candleTimeUtc(c.start)}","candle_date_time_kst":"${candleTimeKst(c.start)}"` +
    `,"opening_price":${candlePrice(c.open)},"high_price":${candlePrice(c.high)},"low_price":${candlePrice(c.low)}` +
    `,"trade_price":${candlePrice(c.close)},"timestamp":${c.lastTradeTimestamp}` +
    `,"candle_acc_trade_price":${candleAmount(c.turnover)},"candle_acc_trade_volume":${candleAmount(c.volume)}`
  );
}

/** The day candle's change figures: signed, as the byte-exact capture (`-234000.00000000`, `-0.0014380796`). */
export function dayChange(c: CandleRow): { readonly price: string; readonly rate: string } {
  const diff = c.close - c.prevClose;
  const rate = c.prevClose === 0 ? 0 : diff / c.prevClose;
  return { price: fixed8OrZero(diff), rate: rate === 0 ? '0' : scaledText(rate, 10) };
}

/**
 * A REST candle of any unit. `converted` is the day candle's `converted_trade_price` (only with
 * `converting_price_unit`; `null` when it cannot be converted, as documented for non-coin markets).
 */
export function restCandle(code: string, c: CandleRow, spec: CandleSpec, converted?: number | null): string {
  switch (spec.unit) {
    case 'seconds':
      return `${head(code, c)}}`;
    case 'minutes':
      return `${head(code, c)},"unit":${spec.size}}`;
    case 'days': {
      const change = dayChange(c);
      const tail =
        converted === undefined
          ? ''
          : `,"converted_trade_price":${converted === null ? 'null' : candlePrice(converted)}`;
      return (
        `${head(code, c)},"prev_closing_price":${candlePrice(c.prevClose)}` +
        `,"change_price":${change.price},"change_rate":${change.rate}${tail}}`
      );
    }
    default:
      return `${head(code, c)},"first_day_of_period":"${dashedDateUtc(c.start)}"}`;
  }
}

export function wsCandleDefault(type: string, code: string, c: CandleRow, stream: StreamType): string {
  return (
    `{"type":"${type}","code":"${code}","candle_date_time_utc":"${candleTimeUtc(c.start)}"` +
    `,"candle_date_time_kst":"${candleTimeKst(c.start)}","opening_price":${candlePrice(c.open)}` +
    `,"high_price":${candlePrice(c.high)},"low_price":${candlePrice(c.low)},"trade_price":${candlePrice(c.close)}` +
    `,"candle_acc_trade_volume":${candleAmount(c.volume)},"candle_acc_trade_price":${candleAmount(c.turnover)}` +
    `,"timestamp":${c.lastTradeTimestamp},"stream_type":"${stream}"}`
  );
}

export function wsCandleSimple(type: string, code: string, c: CandleRow, stream: StreamType): string {
  return (
    `{"ty":"${type}","cd":"${code}","cdttmu":"${candleTimeUtc(c.start)}","cdttmk":"${candleTimeKst(c.start)}"` +
    `,"op":${simpleText(c.open)},"hp":${simpleText(c.high)},"lp":${simpleText(c.low)},"tp":${simpleText(c.close)}` +
    `,"catv":${simpleText(c.volume)},"catp":${simpleText(c.turnover)},"tms":${c.lastTradeTimestamp},"st":"${stream}"}`
  );
}
