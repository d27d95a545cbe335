import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** What became of one HTTP GET. Faults show up as `timeout` (paused server) or `refused` (no server). */
export type HttpOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly body: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'refused' }
  | { readonly kind: 'error'; readonly code: string };

/** One GET on a fresh connection (no keep-alive pool: a pooled socket from before a fault would blur what the
 * server does now), bounded by `timeoutMs` from the first byte sent to the last received. Never rejects. */
export function probeHttp(url: string, timeoutMs: number): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const req = request(url, { agent: false, signal, headers: { connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ kind: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', (error) => resolve(classify(error, signal)));
    });
    req.on('error', (error) => resolve(classify(error, signal)));
    req.end();
  });
}

function classify(error: Error, signal: AbortSignal): HttpOutcome {
  if (signal.aborted) return { kind: 'timeout' };
  const code = (error as NodeJS.ErrnoException).code ?? error.name;
  return code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'error', code };
}

/** Polls until the URL answers 200 with a body `accept` takes, or `deadlineMs` passes; every attempt has its own
 * short timeout. Returns the last outcome: the caller checks it. */
export async function waitUntilServed(
  url: string,
  deadlineMs: number,
  accept: (body: string) => boolean = () => true,
  attemptTimeoutMs = 500,
): Promise<HttpOutcome> {
  const deadline = AbortSignal.timeout(deadlineMs);
  let last: HttpOutcome = { kind: 'timeout' };
  while (!deadline.aborted) {
    last = await probeHttp(url, attemptTimeoutMs);
    if (last.kind === 'response' && last.status === 200 && accept(last.body)) return last;
    await sleep(100);
  }
  return last;
}
