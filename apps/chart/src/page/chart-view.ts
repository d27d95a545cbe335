import {
  type CandlestickData,
  CandlestickSeries,
  createChart,
  type HistogramData,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type LogicalRange,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { SeriesChange } from '../protocol/candle-series.js';
import type { WireCandle } from '../protocol/messages.js';
import { formatPrice, priceDecimals } from './format.js';

const RISE = '#c84a31';
const FALL = '#1261c4';

/** Ask for older candles when fewer than this many bars are left of the visible range. */
const OLDER_WHEN_BARS_LEFT = 20;

function bar(candle: WireCandle): CandlestickData<UTCTimestamp> {
  return {
    time: (candle.time / 1_000) as UTCTimestamp,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
  };
}

function volumeBar(candle: WireCandle): HistogramData<UTCTimestamp> {
  return {
    time: (candle.time / 1_000) as UTCTimestamp,
    value: candle.volume,
    color: candle.close >= candle.open ? 'rgba(200, 74, 49, 0.45)' : 'rgba(18, 97, 196, 0.45)',
  };
}

/** The candlestick chart with volume below (TradingView's lightweight-charts), fed from a CandleSeries. */
export class ChartView {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;

  constructor(container: HTMLElement, onNearLeftEdge: () => void) {
    this.chart = createChart(container, {
      autoSize: true,
      layout: {
        background: { color: '#ffffff' },
        textColor: '#1f2329',
        fontFamily: 'Liberation Sans, Arial, sans-serif',
      },
      grid: { vertLines: { color: '#f0f2f5' }, horzLines: { color: '#f0f2f5' } },
      timeScale: { timeVisible: true, secondsVisible: false, rightOffset: 4 },
      rightPriceScale: { scaleMargins: { top: 0.08, bottom: 0.25 } },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: RISE,
      downColor: FALL,
      borderUpColor: RISE,
      borderDownColor: FALL,
      wickUpColor: RISE,
      wickDownColor: FALL,
    });
    this.volume = this.chart.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' } });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.chart.timeScale().subscribeVisibleLogicalRangeChange((range: LogicalRange | null) => {
      if (range !== null && range.from < OLDER_WHEN_BARS_LEFT) onNearLeftEdge();
    });
  }

  setSecondsVisible(visible: boolean): void {
    this.chart.applyOptions({ timeScale: { secondsVisible: visible } });
  }

  /** Applies a change of the series (everything, or one bar). */
  apply(change: SeriesChange, all: readonly WireCandle[]): void {
    if (change.kind === 'none') return;
    if (change.kind === 'reset') {
      this.candles.setData(all.map(bar));
      this.volume.setData(all.map(volumeBar));
      return;
    }
    this.candles.update(bar(change.candle), change.historical);
    this.volume.update(volumeBar(change.candle), change.historical);
  }

  /** A fresh selection: everything redrawn and scrolled to the newest candle. */
  show(all: readonly WireCandle[]): void {
    const last = all[all.length - 1];
    if (last !== undefined) {
      const precision = priceDecimals(last.close);
      this.candles.applyOptions({
        priceFormat: { type: 'custom', formatter: (price: number) => formatPrice(price), minMove: 10 ** -precision },
      });
    }
    this.apply({ kind: 'reset' }, all);
    this.chart.timeScale().scrollToRealTime();
  }

  /** `added` older candles were put before the series: redraw, and keep what the user was looking at. */
  prepended(added: number, all: readonly WireCandle[]): void {
    const range = this.chart.timeScale().getVisibleLogicalRange();
    this.apply({ kind: 'reset' }, all);
    if (range !== null) {
      this.chart.timeScale().setVisibleLogicalRange({ from: range.from + added, to: range.to + added });
    }
  }

  /** Scrolls the view by `bars` (negative: to older candles); the test of paging uses it. */
  scrollBy(bars: number): void {
    const range = this.chart.timeScale().getVisibleLogicalRange();
    if (range !== null) this.chart.timeScale().setVisibleLogicalRange({ from: range.from + bars, to: range.to + bars });
  }
}
