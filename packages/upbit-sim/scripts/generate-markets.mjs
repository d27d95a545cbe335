// Generates src/data/markets.ts from the recorded real Upbit payloads, once, so the simulator never reads
// ../shared at run time. Run from packages/upbit-sim:  pnpm generate-markets  (generates, then formats with Biome)
// (UPBIT_FIXTURES_DIR overrides the fixtures location.)
//
// Sources (all in shared/upbit/fixtures):
// - rest-ticker-all-quote-krw.json: every KRW market of 2026-03-11 with its prices, 24h turnover and 52-week range.
//   Its order (24h turnover, highest first) is kept: it ranks markets from hot to quiet.
// - rest-market-all*.json: the only Korean/English names on record. Other markets get their base symbol as both
//   names (a placeholder: the real names are not in the fixtures).
// - rest-market-all-details.json: the only real market_event flags on record. Other markets get flags picked by
//   a fixed hash of the code, at about the rates of a 2026-09 probe of the real list (warning ~2%,
//   GLOBAL_PRICE_DIFFERENCES ~20%). They are synthetic.
// - BTC- and USDT- markets: codes seen in the fixtures (rest-market-all.json, ws-subscribe-request.json,
//   rest-ticker-usdt-btc-ccxt.json). Their prices are cross rates of the KRW snapshot (KRW-X / KRW-BTC,
//   KRW-X / KRW-USDT) and their turnover a small fraction of the KRW market's, as the probe found.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = process.env.UPBIT_FIXTURES_DIR ?? resolve(here, '..', '..', '..', '..', 'shared', 'upbit', 'fixtures');
const read = (name) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

const krw = read('rest-ticker-all-quote-krw.json');
const names = new Map();
for (const row of [...read('rest-market-all.json'), ...read('rest-market-all-details.json')]) {
  const base = row.market.split('-')[1];
  names.set(base, { korean: row.korean_name, english: row.english_name });
}
const realEvents = new Map(read('rest-market-all-details.json').map((row) => [row.market, row.market_event]));

const CAUTIONS = [
  'PRICE_FLUCTUATIONS',
  'TRADING_VOLUME_SOARING',
  'DEPOSIT_AMOUNT_SOARING',
  'GLOBAL_PRICE_DIFFERENCES',
  'CONCENTRATION_OF_SMALL_ACCOUNTS',
];

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function eventFlags(code) {
  const real = realEvents.get(code);
  if (real !== undefined) {
    return { warning: real.warning, cautions: CAUTIONS.filter((name) => real.caution[name] === true) };
  }
  const h = hash(code);
  const cautions = [];
  if (h % 5 === 0) cautions.push('GLOBAL_PRICE_DIFFERENCES');
  if ((h >>> 8) % 40 === 0) cautions.push('PRICE_FLUCTUATIONS');
  if ((h >>> 12) % 60 === 0) cautions.push('TRADING_VOLUME_SOARING');
  return { warning: (h >>> 16) % 50 === 0, cautions };
}

function nameOf(base) {
  return names.get(base) ?? { korean: base, english: base };
}

const rows = [];
function push(code, t) {
  const base = code.split('-')[1];
  const { korean, english } = nameOf(base);
  const { warning, cautions } = eventFlags(code);
  rows.push({ code, korean, english, warning, cautions, ...t });
}

for (const t of krw) {
  push(t.market, {
    trade: t.trade_price,
    open: t.opening_price,
    high: t.high_price,
    low: t.low_price,
    prevClose: t.prev_closing_price,
    volume24h: t.acc_trade_volume_24h,
    turnover24h: t.acc_trade_price_24h,
    high52: t.highest_52_week_price,
    high52Date: t.highest_52_week_date,
    low52: t.lowest_52_week_price,
    low52Date: t.lowest_52_week_date,
  });
}

const byCode = new Map(krw.map((t) => [t.market, t]));
const btcKrw = byCode.get('KRW-BTC').trade_price;
const usdtKrw = byCode.get('KRW-USDT').trade_price;

function round(value, decimals) {
  return Number(value.toFixed(decimals));
}

function crossRow(quote, base, divisor, decimals, turnoverShare) {
  const source = byCode.get(`KRW-${base}`);
  if (source === undefined) return;
  const conv = (price) => round(price / divisor, decimals);
  const turnoverKrw = source.acc_trade_price_24h * turnoverShare;
  push(`${quote}-${base}`, {
    trade: conv(source.trade_price),
    open: conv(source.opening_price),
    high: conv(source.high_price),
    low: conv(source.low_price),
    prevClose: conv(source.prev_closing_price),
    volume24h: round(turnoverKrw / source.trade_price, 8),
    turnover24h: round(turnoverKrw / divisor, 8),
    high52: conv(source.highest_52_week_price),
    high52Date: source.highest_52_week_date,
    low52: conv(source.lowest_52_week_price),
    low52Date: source.lowest_52_week_date,
  });
}

// Codes seen in the fixtures. BTC market prices have 8 decimals (one tick of 0.00000001 BTC).
for (const base of ['ETH', 'XRP', 'BERA', 'FIL', 'SIGN', 'VIRTUAL', 'BAT', 'ZIL'])
  crossRow('BTC', base, btcKrw, 8, 0.001);
for (const base of ['BTC', 'ETH', 'XRP']) crossRow('USDT', base, usdtKrw, 8, 0.0006);

const quote = (text) => `'${String(text).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const lines = rows.map((r) => {
  const cautions = `[${r.cautions.map(quote).join(', ')}]`;
  return (
    `  [${quote(r.code)}, ${quote(r.korean)}, ${quote(r.english)}, ${r.warning}, ${cautions}, ` +
    `${r.trade}, ${r.open}, ${r.high}, ${r.low}, ${r.prevClose}, ${r.volume24h}, ${r.turnover24h}, ` +
    `${r.high52}, ${quote(r.high52Date)}, ${r.low52}, ${quote(r.low52Date)}],`
  );
});

const out = `// GENERATED by scripts/generate-markets.mjs from shared/upbit/fixtures — do not edit by hand.
// KRW rows: the real /v1/ticker/all?quote_currencies=KRW snapshot of 2026-03-11, ordered by 24h turnover.
// Names other than those in the fixtures are placeholders (the base symbol); market_event flags other than the
// fixtures' are synthetic; BTC-/USDT- rows are cross rates of the KRW snapshot. See the script for details.

/**
 * code, korean_name, english_name, market_event.warning, active cautions, trade_price, opening_price, high_price,
 * low_price, prev_closing_price, acc_trade_volume_24h, acc_trade_price_24h, highest_52_week_price,
 * highest_52_week_date, lowest_52_week_price, lowest_52_week_date
 */
export type MarketSeedRow = readonly [
  code: string,
  koreanName: string,
  englishName: string,
  warning: boolean,
  cautions: readonly string[],
  tradePrice: number,
  openingPrice: number,
  highPrice: number,
  lowPrice: number,
  prevClosingPrice: number,
  volume24h: number,
  turnover24h: number,
  highest52WeekPrice: number,
  highest52WeekDate: string,
  lowest52WeekPrice: number,
  lowest52WeekDate: string,
];

export const MARKET_SEED_ROWS: readonly MarketSeedRow[] = [
${lines.join('\n')}
];
`;

writeFileSync(join(here, '..', 'src', 'data', 'markets.ts'), out);
console.log(`wrote ${rows.length} markets`);
