import type { WireBookLevel, WireTrade } from '../protocol/messages.js';
import { element, formatPrice, formatTimeUtc, formatVolume } from './format.js';

/** Rows kept in the trade tape. */
const TAPE_ROWS = 60;

function cell(text: string, className = ''): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className !== '') td.className = className;
  return td;
}

/** Depth panel: asks above (highest first), bids below, a bar per level scaled to the largest size shown. */
export class BookPanel {
  private readonly body = element<HTMLTableElement>('book').tBodies[0] as HTMLTableSectionElement;
  private readonly totals = element('book-totals');

  clear(): void {
    this.body.replaceChildren();
    this.totals.textContent = '';
  }

  show(levels: readonly WireBookLevel[], totalAskSize: number, totalBidSize: number): void {
    const largest = Math.max(1e-12, ...levels.flatMap((level) => [level.askSize, level.bidSize]));
    const row = (side: 'ask' | 'bid', price: number, size: number): HTMLTableRowElement => {
      const tr = document.createElement('tr');
      tr.className = side;
      const depth = document.createElement('span');
      depth.className = 'depth';
      depth.style.width = `${Math.round((size / largest) * 100)}%`;
      const sizeCell = cell(formatVolume(size));
      sizeCell.prepend(depth);
      tr.append(
        side === 'ask' ? sizeCell : cell(''),
        cell(formatPrice(price), side),
        side === 'bid' ? sizeCell : cell(''),
      );
      return tr;
    };
    const asks = [...levels].reverse().map((level) => row('ask', level.askPrice, level.askSize));
    const bids = levels.map((level) => row('bid', level.bidPrice, level.bidSize));
    this.body.replaceChildren(...asks, ...bids);
    this.totals.textContent = `total ask ${formatVolume(totalAskSize)} · total bid ${formatVolume(totalBidSize)}`;
  }
}

/** The recent trades, newest on top. */
export class TradesTape {
  private readonly body = element<HTMLTableElement>('trades').tBodies[0] as HTMLTableSectionElement;

  clear(): void {
    this.body.replaceChildren();
  }

  add(trades: readonly WireTrade[]): void {
    const rows = [...trades].reverse().map((trade) => {
      const tr = document.createElement('tr');
      tr.append(
        cell(formatTimeUtc(trade.tradeTimestamp)),
        cell(formatPrice(trade.price), trade.side),
        cell(formatVolume(trade.volume)),
      );
      return tr;
    });
    this.body.prepend(...rows);
    while (this.body.rows.length > TAPE_ROWS) this.body.deleteRow(-1);
  }
}
