import type { Clock, MarketCode, Ticker } from '@marketdata/domain';
import type { Board, BoardEvent } from './board.js';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Shows where each of the demo's `getTicker` calls was served from: the ROUTED column always, and an event
 * whenever a symbol's serving channel changes (the router moving it, a fallback) or its requests start failing.
 */
export function createRouteReporter(board: Board, emit: (event: BoardEvent) => void, clock: Clock) {
  const servedBy = new Map<MarketCode, string>();
  return {
    onResult(symbol: MarketCode, demand: string, ticker: Ticker): void {
      board.setRouted(symbol, { demand, source: ticker.source });
      const previous = servedBy.get(symbol);
      if (previous === ticker.source) return;
      const was = previous === undefined ? '' : ` (was ${previous})`;
      emit({ at: clock.now(), kind: 'route', text: `${symbol} getTicker at ${demand} → ${ticker.source}${was}` });
      servedBy.set(symbol, ticker.source);
    },
    onError(symbol: MarketCode, demand: string, error: unknown): void {
      board.setRouted(symbol, { demand, source: 'error' });
      if (servedBy.get(symbol) === 'error') return;
      emit({ at: clock.now(), kind: 'warn', text: `${symbol} getTicker at ${demand} failed: ${messageOf(error)}` });
      servedBy.set(symbol, 'error');
    },
  };
}
