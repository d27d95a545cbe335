import type { WireMarket } from '../protocol/messages.js';
import { element } from './format.js';

/** Most rows the list shows at once. */
const MAX_ROWS = 50;

/** True when the query matches the market's code, base symbol, Korean or English name (case-insensitive). */
export function marketMatches(market: WireMarket, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (needle === '') return true;
  return [market.symbol, market.koreanName, market.englishName].some((text) => text.toLowerCase().includes(needle));
}

/** The searchable market list: type a code, a Korean or an English name, then click or press Enter. */
export class MarketPicker {
  private readonly input = element<HTMLInputElement>('market-search');
  private readonly list = element<HTMLUListElement>('market-list');
  private markets: readonly WireMarket[] = [];
  private shown: readonly WireMarket[] = [];
  private active = 0;

  constructor(private readonly onPick: (symbol: string) => void) {
    this.input.addEventListener('input', () => this.render());
    this.input.addEventListener('focus', () => this.render());
    this.input.addEventListener('blur', () => {
      // Let a click on a row land first.
      setTimeout(() => this.close(), 150);
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.active = Math.max(0, Math.min(this.shown.length - 1, this.active + step));
        this.highlight();
      } else if (event.key === 'Enter') {
        const market = this.shown[this.active];
        if (market !== undefined) this.pick(market.symbol);
      } else if (event.key === 'Escape') {
        this.close();
      }
    });
  }

  setMarkets(markets: readonly WireMarket[]): void {
    this.markets = markets;
  }

  find(symbol: string): WireMarket | undefined {
    return this.markets.find((market) => market.symbol === symbol);
  }

  private pick(symbol: string): void {
    this.input.value = '';
    this.close();
    this.input.blur();
    this.onPick(symbol);
  }

  private close(): void {
    this.list.hidden = true;
  }

  private render(): void {
    const query = this.input.value;
    this.shown = this.markets.filter((market) => marketMatches(market, query)).slice(0, MAX_ROWS);
    this.active = 0;
    const rows = this.shown.map((market) => {
      const row = document.createElement('li');
      row.dataset.symbol = market.symbol;
      const code = document.createElement('span');
      code.className = 'code';
      code.textContent = market.symbol;
      const names = document.createElement('span');
      names.className = 'names';
      names.textContent = `${market.koreanName} · ${market.englishName}`;
      row.append(code, names);
      row.addEventListener('mousedown', (event) => {
        event.preventDefault();
        this.pick(market.symbol);
      });
      return row;
    });
    this.list.replaceChildren(...rows);
    this.list.hidden = rows.length === 0;
    this.highlight();
  }

  private highlight(): void {
    for (const [index, row] of [...this.list.children].entries()) {
      row.setAttribute('aria-selected', String(index === this.active));
    }
  }
}
