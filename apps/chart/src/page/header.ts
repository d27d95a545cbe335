import type { ChartMode, WireFeedStatus, WireMarket, WireMarketFlags, WireTicker } from '../protocol/messages.js';
import { element, formatAge, formatPrice, formatRate } from './format.js';

/** The header: market, flags, last price with source / quality / age; the stale banner under it. */
export class Header {
  private readonly symbol = element('symbol');
  private readonly name = element('market-name');
  private readonly flags = element('flags');
  private readonly lastPrice = element('last-price');
  private readonly price = element('price');
  private readonly change = element('change');
  private readonly provenance = element('provenance');
  private readonly banner = element('banner');
  private readonly error = element('error');
  private readonly mode = element('mode');
  private ticker: { readonly value: WireTicker; readonly receivedAt: number } | undefined;
  private status: WireFeedStatus | undefined;
  private linkDown = false;

  constructor(private readonly now: () => number) {}

  showMode(mode: ChartMode): void {
    const source = {
      live: 'LIVE Upbit',
      sim: 'SIMULATOR (not live data)',
      endpoint: 'CONFIGURED ENDPOINT (not Upbit)',
    }[mode];
    this.mode.textContent = `${source} · times in UTC`;
  }

  showMarket(symbol: string, market: WireMarket | undefined): void {
    this.symbol.textContent = symbol;
    this.name.textContent = market === undefined ? '' : `${market.koreanName} · ${market.englishName}`;
    this.ticker = undefined;
    this.status = undefined;
    this.price.textContent = '—';
    this.change.textContent = '';
    this.provenance.textContent = '';
    this.lastPrice.className = '';
    this.flags.replaceChildren();
    this.renderBanner();
  }

  showTicker(ticker: WireTicker): void {
    this.ticker = { value: ticker, receivedAt: this.now() };
    this.price.textContent = formatPrice(ticker.price);
    this.change.textContent = formatRate(ticker.changeRate);
    this.lastPrice.className = ticker.change === 'RISE' ? 'rise' : ticker.change === 'FALL' ? 'fall' : '';
    this.tick();
  }

  /** Refreshes the age (called a few times a second). */
  tick(): void {
    if (this.ticker === undefined) return;
    const { value, receivedAt } = this.ticker;
    const age = value.ageMs + (this.now() - receivedAt);
    const notes = value.qualityNotes.length > 0 ? ` · ${value.qualityNotes.join('; ')}` : '';
    this.provenance.textContent = `${value.source} · ${value.quality} quality (${value.confidence.toFixed(2)}) · age ${formatAge(age)}${notes}`;
    this.provenance.dataset.source = value.source;
    this.provenance.dataset.quality = value.quality;
  }

  showFlags(flags: WireMarketFlags): void {
    const badges: HTMLElement[] = [];
    const badge = (text: string, extra = ''): void => {
      const span = document.createElement('span');
      span.className = `flag ${extra}`.trim();
      span.textContent = text;
      badges.push(span);
    };
    if (flags.suspended === true) badge('TRADING SUSPENDED', 'suspended');
    if (flags.marketState !== undefined && flags.marketState !== 'ACTIVE') badge(flags.marketState, 'suspended');
    if (flags.delistingDate !== undefined) badge(`DELISTING ${flags.delistingDate}`, 'suspended');
    if (flags.warning) badge('INVESTMENT WARNING');
    for (const caution of flags.cautions) badge(`CAUTION ${caution.replaceAll('_', ' ')}`);
    this.flags.replaceChildren(...badges);
    this.flags.dataset.warning = String(flags.warning);
    this.flags.dataset.suspended = String(flags.suspended === true);
  }

  showStatus(status: WireFeedStatus): void {
    this.status = status;
    this.renderBanner();
  }

  showLink(up: boolean): void {
    this.linkDown = !up;
    this.renderBanner();
  }

  showError(message: string | undefined, hint?: string): void {
    this.error.hidden = message === undefined;
    this.error.textContent = message === undefined ? '' : `${message}${hint === undefined ? '' : `\n${hint}`}`;
  }

  private renderBanner(): void {
    const lines: string[] = [];
    let fallbackOnly = false;
    if (this.linkDown) {
      lines.push('Disconnected from the chart server: reconnecting…');
    } else if (this.status !== undefined && (this.status.stale || this.status.fallback)) {
      lines.push(
        this.status.stale ? 'STALE DATA: the live feed is not keeping up' : 'FALLBACK: not from the live stream',
      );
      lines.push(...this.status.reasons);
      fallbackOnly = !this.status.stale;
    }
    const showing = lines.length > 0;
    this.banner.hidden = !showing;
    this.banner.textContent = lines.join('\n');
    this.banner.className = fallbackOnly ? 'fallback' : '';
    this.banner.dataset.stale = String(showing && !fallbackOnly);
    this.lastPrice.dataset.stale = String(showing);
  }
}
