import type { FetchFunction } from '../../../src/rest/index.js';

/**
 * An injected `fetch` that answers each request with the body the test set for it: by `markets`/`market` query
 * parameter, else by path. Bodies are bytes, exactly as generated (invalid UTF-8 included). Counts requests per key.
 */
export class ScriptedUpbitFetch {
  private readonly bodies = new Map<string, Uint8Array>();
  private readonly counts = new Map<string, number>();

  readonly fetch: FetchFunction = async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request?.url ?? String(input));
    const signal = init?.signal ?? request?.signal;
    if (signal?.aborted) throw signal.reason;
    const key = url.searchParams.get('markets') ?? url.searchParams.get('market') ?? url.pathname;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const body = this.bodies.get(key);
    if (body === undefined) {
      return new Response('{"error":{"name":404,"message":"Code not found"}}', { status: 404 });
    }
    // A copy: the Response owns its bytes, and the type wants an ArrayBuffer-backed view.
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
    });
  };

  answer(key: string, body: Uint8Array): void {
    this.bodies.set(key, body);
  }

  requests(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
