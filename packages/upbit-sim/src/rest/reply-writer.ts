import type { ServerResponse } from 'node:http';
import type { CounterBook } from '../control/counters.js';
import type { RestGroup } from '../options.js';

/** A REST answer, before the faults on the way out (latency, truncation, slow and huge bodies). */
export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly remainingReq: string | undefined;
  readonly group: RestGroup | undefined;
  /** Extra headers (`Retry-After` of an injected refusal). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Headers every Upbit quotation answer carries (captures in fixtures rest-headers-*.txt). */
export function headersOf(reply: Reply, date: string): Record<string, string | number> {
  const headers: Record<string, string | number> = { Date: date, 'Content-Type': reply.contentType };
  if (reply.remainingReq !== undefined) {
    headers['Remaining-Req'] = reply.remainingReq;
    headers['Limit-By-Ip'] = 'Yes';
  }
  headers.Vary = 'origin,access-control-request-method,access-control-request-headers,accept-encoding';
  headers['Cache-Control'] = 'no-cache, no-store, max-age=0, must-revalidate';
  headers.Pragma = 'no-cache';
  headers.Expires = '0';
  return { ...headers, ...reply.headers };
}

const CHUNK = 64 * 1024;

/**
 * Streams `body` (a JSON array) inflated to exactly `bytes` bytes: its elements repeated, then spaces, then `]`,
 * so the whole stays valid JSON. Written in chunks of about 64 KiB with backpressure, never held at once.
 * `bytes` is at least the body's own length (the caller sends smaller ones as they are).
 */
export function streamHugeBody(res: ServerResponse, body: string, bytes: number, counters: CounterBook): void {
  const inner = body.startsWith('[') && body.endsWith(']') ? body.slice(1, -1) : '';
  const first = Buffer.from(`[${inner}`, 'utf8');
  const element = Buffer.from(inner === '' ? ' ' : `,${inner}`, 'utf8');
  const block = Buffer.concat(Array(Math.max(1, Math.floor(CHUNK / element.length))).fill(element));
  const spaces = Buffer.alloc(CHUNK, 0x20);
  let remaining = bytes;
  counters.hugeBodiesSent++;
  const write = (chunk: Buffer): boolean => {
    remaining -= chunk.length;
    counters.hugeBodyBytesSent += chunk.length;
    return res.write(chunk);
  };
  const pump = (): void => {
    while (!res.destroyed) {
      let chunk: Buffer;
      if (remaining - 1 >= block.length) chunk = block;
      else if (remaining - 1 >= element.length && inner !== '') chunk = element;
      else if (remaining > 1) chunk = spaces.subarray(0, Math.min(spaces.length, remaining - 1));
      else {
        counters.hugeBodyBytesSent += 1;
        res.end(']');
        return;
      }
      if (!write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  write(first);
  pump();
}
