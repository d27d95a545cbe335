/** The REST baseline: one `fetch` and one `JSON.parse`, nothing else. */
export interface RawRestTicker {
  readonly price: number;
  readonly timestamp: number;
}

export async function rawFetchTicker(restUrl: string, code: string): Promise<RawRestTicker> {
  const response = await fetch(`${restUrl}/v1/ticker?markets=${code}`);
  const body = JSON.parse(await response.text()) as unknown;
  if (!response.ok || !Array.isArray(body)) throw new Error(`raw fetch: HTTP ${response.status}`);
  const first = body[0] as { trade_price?: unknown; timestamp?: unknown } | undefined;
  return { price: Number(first?.trade_price), timestamp: Number(first?.timestamp) };
}

/** Status only, for the pacing row: the raw client has no limiter, it just sends. */
export async function rawFetchStatus(restUrl: string, code: string): Promise<number> {
  const response = await fetch(`${restUrl}/v1/ticker?markets=${code}`);
  JSON.parse(await response.text());
  return response.status;
}
