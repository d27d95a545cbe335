/**
 * What a malformed WebSocket frame still says about the trade it carried, read from the sample the adapter reports
 * with its `malformed` event (the frame's first 300 characters). The simulator breaks frames three ways (see its
 * malform.ts): cut in half (invalid JSON: type and code survive, `sequential_id` usually not), one number turned
 * into a string (everything survives), or the code removed (`sequential_id` survives).
 */

const TRADE_TYPE = /"(?:ty|type)":"trade"/;
const CODE = /"(?:cd|code)":"([A-Z0-9]+-[A-Z0-9]+)"/;
// Only a whole number counts: a frame cut inside the id leaves digits that are not followed by `,` or `}`.
const SEQUENTIAL_ID = /"(?:sid|sequential_id)":(\d{5,})[,}]/;

export interface TradeIdentity {
  readonly symbol: string | undefined;
  readonly low4: number | undefined;
}

/** Undefined when the frame was not a trade (or nothing identifies it as one). */
export function malformedTradeIdentity(frameKind: string, sample: string): TradeIdentity | undefined {
  const isTrade = frameKind === 'trade' || ((frameKind === 'json' || frameKind === 'unknown') && TRADE_TYPE.test(sample));
  if (!isTrade) return undefined;
  const symbol = CODE.exec(sample)?.[1];
  const id = SEQUENTIAL_ID.exec(sample)?.[1];
  return { symbol, low4: id === undefined ? undefined : Number(id.slice(-4)) };
}
