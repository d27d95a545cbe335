import type { ChartInterval } from '../protocol/intervals.js';
import type { WireCandle } from '../protocol/messages.js';

/** What tests (and the bench) read from the page: `window.__chart`. Mirrored on #chart's data- attributes. */
export interface ChartTestHook {
  /** connecting | loading | ready | error | disconnected */
  readonly state: string;
  readonly symbol: string | undefined;
  readonly interval: ChartInterval | undefined;
  readonly selection: number;
  /** Candles in the series. */
  readonly length: number;
  /** Milliseconds from sending `select` to the first screen drawn, for the current selection. */
  readonly firstScreenMs: number | undefined;
  /** Older pages received for the current selection. */
  readonly olderPages: number;
  /** The stale banner is showing. */
  readonly stale: boolean;
  candles(): readonly WireCandle[];
  last(): WireCandle | undefined;
  /** Scrolls the chart by `bars` (negative: older). */
  scrollBy(bars: number): void;
}

declare global {
  interface Window {
    __chart?: ChartTestHook;
  }
}
