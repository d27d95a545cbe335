/**
 * What a malformed WebSocket frame still says about the trade it carried, read from the sample the adapter reports
 * with its `malformed` event (the frame's first 300 characters). The simulator breaks frames three ways (see its
 * malform.ts): cut in half (invalid JSON: type, code and trade time survive, `sequential_id` usually not), one
 * number turned into a string (everything survives), or the code removed (`sequential_id` and trade time survive).
 */

const TRADE_TYPE = /"(?:ty|type)":"trade"/;
const CODE = /"(?:cd|code)":"([A-Z0-9]+-[A-Z0-9]+)"/;
// Only a whole number counts: a frame cut inside the id leaves digits that are not followed by `,` or `}`.
const SEQUENTIAL_ID = /"(?:sid|sequential_id)":(\d{5,})[,}]/;
const TRADE_TIMESTAMP = /"(?:ttms|trade_timestamp)":(\d{13})[,}]/;

export interface TradeIdentity {
  readonly symbol: string | undefined;
  readonly low4: number | undefined;
  readonly tradeTimestamp: number | undefined;
}

/** Undefined when the frame was not a trade (or nothing identifies it as one). */
export function malformedTradeIdentity(frameKind: string, sample: string): TradeIdentity | undefined {
  const isTrade =
    frameKind === 'trade' || ((frameKind === 'json' || frameKind === 'unknown') && TRADE_TYPE.test(sample));
  if (!isTrade) return undefined;
  const symbol = CODE.exec(sample)?.[1];
  const id = SEQUENTIAL_ID.exec(sample)?.[1];
  const tradeTimestamp = TRADE_TIMESTAMP.exec(sample)?.[1];
  return {
    symbol,
    low4: id === undefined ? undefined : Number(id.slice(-4)),
    tradeTimestamp: tradeTimestamp === undefined ? undefined : Number(tradeTimestamp),
  };
}
