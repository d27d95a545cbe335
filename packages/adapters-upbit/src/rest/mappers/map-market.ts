import { type Market, splitMarketCode } from '@marketdata/domain';
import type { UpbitMarket } from '../schemas/market-schema.js';

/**
 * `/v1/market/all` entry → `Market`. `warning` comes from `market_event.warning`, or from the older
 * `market_warning === 'CAUTION'`; `cautions` lists the caution flags that are on. `koreanName` is empty where Upbit
 * sends none (Upbit Indonesia).
 */
export function mapMarket(raw: UpbitMarket): Market {
  const { quote, base } = splitMarketCode(raw.market);
  const caution = raw.market_event?.caution ?? {};
  return {
    symbol: raw.market,
    quote,
    base,
    koreanName: raw.korean_name ?? '',
    englishName: raw.english_name,
    warning: raw.market_event?.warning ?? raw.market_warning === 'CAUTION',
    cautions: Object.entries(caution)
      .filter(([, on]) => on)
      .map(([name]) => name),
    eventSource:
      raw.market_event !== undefined ? 'market_event' : raw.market_warning !== undefined ? 'market_warning' : 'none',
  };
}
