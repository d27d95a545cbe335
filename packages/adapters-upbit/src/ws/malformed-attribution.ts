import type { MarketCode, StreamKind } from '@marketdata/domain';
import type { MalformedClues } from './decode/frame-decoder.js';
import type { StreamFeeds } from './feeds.js';

/**
 * Which wanted market an unusable frame was about: the code it names, when that market is on the wire for its kind;
 * for a trade frame that lost its code, the one wanted market whose latest trade carries the same previous close
 * (Upbit sends the same `prev_closing_price` on every trade of a market until the day changes). Undefined when the
 * frame does not say, or two markets would fit: a frame is never blamed on a guess.
 */
export function attributeMalformed(
  feeds: StreamFeeds,
  kind: StreamKind,
  clues: MalformedClues,
): MarketCode | undefined {
  const feed = feeds.of(kind);
  if (clues.code !== undefined) {
    const named = clues.code as MarketCode;
    return feed.isWanted(named) ? named : undefined;
  }
  if (kind !== 'trade' || clues.prevClose === undefined) return undefined;
  const prevClose = clues.prevClose;
  const candidates = feeds.of('trade').wantedWhere((latest) => latest.prevClose === prevClose);
  return candidates.length === 1 ? candidates[0] : undefined;
}
