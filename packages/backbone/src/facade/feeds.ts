import type {
  ChannelTicker,
  MarketCode,
  StreamingSource,
  StreamKind,
  StreamListener,
  StreamRecord,
  TickerSource,
} from '@marketdata/domain';
import type { FreshnessJudge } from '../freshness/freshness-judge.js';
import type { Feed } from './stream-opener.js';

/**
 * A WebSocket feed: `listen` states the demand and pushes every record (states replay their latest value first,
 * synchronously), and the freshness judge is told the feed is wanted, so `health()` reports it when stale. A refusal
 * the source retries on its own (it reconnects) is reported to `onError` and the stream goes on (`health()` names
 * it); the stream ends with the error only when the source gives up on it (`onEnd`), quietly when the source closed.
 */
export function webSocketFeed<K extends StreamKind, Q>(
  websocket: Pick<StreamingSource, 'listen'>,
  judge: FreshnessJudge,
  kind: K,
  symbols: readonly MarketCode[],
  toItem: (record: StreamRecord<K>) => Q,
  onError: (error: unknown) => void,
): Feed<Q> {
  return (sink) => {
    const unwatch = judge.watch(kind, symbols);
    let ended = false;
    const listener: StreamListener<K> = {
      onRecord: (record) => sink.push(toItem(record)),
      onError,
      onEnd: (reason) => {
        ended = true;
        if (reason === undefined) sink.end();
        else sink.fail(reason, 'websocket');
      },
    };
    try {
      const handle = websocket.listen(kind, symbols, listener);
      if (ended) handle.release();
      return () => {
        unwatch();
        handle.release();
      };
    } catch (error) {
      unwatch();
      throw error;
    }
  };
}

/** Tickers through the REST source's own polling stream (`watchTickers`), until stopped or the source ends. */
export function restPollingFeed<Q>(
  rest: Pick<TickerSource, 'watchTickers'>,
  symbols: readonly MarketCode[],
  toItem: (tick: ChannelTicker) => Q,
): Feed<Q> {
  return (sink) => {
    const controller = new AbortController();
    const iterator = rest.watchTickers(symbols, { signal: controller.signal })[Symbol.asyncIterator]();
    const pump = async (): Promise<void> => {
      try {
        for (;;) {
          const result = await iterator.next();
          if (controller.signal.aborted) return;
          if (result.done === true) {
            sink.end();
            return;
          }
          sink.push(toItem(result.value));
        }
      } catch (error) {
        if (!controller.signal.aborted) sink.fail(error, 'rest');
      }
    };
    void pump();
    return () => {
      controller.abort();
      void iterator.return?.()?.catch(() => undefined);
    };
  };
}
