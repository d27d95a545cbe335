import { lookup } from 'node:dns/promises';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Clock, Random } from '@marketdata/domain';
import { describeNetworkCause, describeStage, type ProbeStage } from './network-cause.js';

export interface ProbeTarget {
  readonly url: string;
  /** Also ask for the WebSocket upgrade and require `101 Switching Protocols`. */
  readonly websocketUpgrade: boolean;
}

export interface ProbeDependencies {
  readonly clock: Clock;
  readonly random: Random;
  readonly timeoutMs: number;
  /** Gives up at once (Ctrl-C) with the cause "aborted". */
  readonly signal?: AbortSignal | undefined;
}

export type ProbeResult =
  | { readonly ok: true; readonly url: string; readonly host: string; readonly elapsedMs: number }
  | {
      readonly ok: false;
      readonly url: string;
      readonly host: string;
      readonly port: number;
      readonly stage: ProbeStage;
      /** Human cause: "DNS lookup failed: host not found (ENOTFOUND)", "timed out after 4000 ms during ...". */
      readonly cause: string;
    };

const MAX_HEADER_BYTES = 16 * 1024;
// A masked close frame with an empty body (mask key 0): leaves politely after a successful upgrade.
const WS_CLOSE_FRAME = Buffer.from([0x88, 0x80, 0, 0, 0, 0]);

function defaultPort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80;
}

function websocketKey(random: Random): string {
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random.next() * 256);
  return bytes.toString('base64');
}

function upgradeRequest(url: URL, random: Random): string {
  return [
    `GET ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${websocketKey(random)}`,
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

function statusCause(statusLine: string): string {
  const status = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(statusLine)?.[1]);
  if (status === 418) return 'HTTP 418: Upbit has blocked this IP for a while (too many requests)';
  if (status === 429) return 'HTTP 429: rate limited (too many requests)';
  if (Number.isNaN(status)) return `not an HTTP answer (${JSON.stringify(statusLine.slice(0, 60))})`;
  return `the server answered "${statusLine.trim()}" instead of upgrading to WebSocket`;
}

/**
 * Walks the way to an endpoint one step at a time (DNS, TCP, TLS, optionally the WebSocket upgrade) so a failure
 * names the step and the cause. Bounded by `timeoutMs` overall; never retries.
 */
export function probeEndpoint(target: ProbeTarget, deps: ProbeDependencies): Promise<ProbeResult> {
  const url = new URL(target.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = defaultPort(url);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const startedAt = deps.clock.monotonic();

  return new Promise<ProbeResult>((resolve) => {
    let stage: ProbeStage = 'dns';
    const sockets: Socket[] = [];
    let settled = false;

    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      deps.clock.clearTimeout(timer);
      deps.signal?.removeEventListener('abort', onAbort);
      for (const socket of sockets) {
        socket.on('error', () => {});
        socket.destroy();
      }
      resolve(result);
    };
    const failWith = (cause: string): void => finish({ ok: false, url: target.url, host, port, stage, cause });
    const fail = (error: unknown): void => failWith(describeNetworkCause(error, stage));
    const succeed = (): void =>
      finish({ ok: true, url: target.url, host, elapsedMs: deps.clock.monotonic() - startedAt });

    const timer = deps.clock.setTimeout(
      () => failWith(`timed out after ${deps.timeoutMs} ms ${describeStage(stage)}`),
      deps.timeoutMs,
    );
    const onAbort = (): void => failWith('aborted');
    if (deps.signal?.aborted === true) {
      onAbort();
      return;
    }
    deps.signal?.addEventListener('abort', onAbort, { once: true });

    const afterConnected = (connected: Socket): void => {
      if (!target.websocketUpgrade) {
        succeed();
        return;
      }
      stage = 'upgrade';
      let header = '';
      connected.on('data', (chunk: Buffer) => {
        header += chunk.toString('latin1');
        const end = header.indexOf('\r\n');
        if (end < 0) {
          if (header.length > MAX_HEADER_BYTES) failWith('the answer to the WebSocket upgrade is not HTTP');
          return;
        }
        const statusLine = header.slice(0, end);
        if (/^HTTP\/\d(?:\.\d)?\s+101\b/.test(statusLine)) {
          connected.end(WS_CLOSE_FRAME);
          succeed();
        } else {
          failWith(statusCause(statusLine));
        }
      });
      connected.once('end', () => failWith('the server closed the connection before answering the upgrade'));
      connected.write(upgradeRequest(url, deps.random));
    };

    lookup(host).then(({ address }) => {
      if (settled) return;
      stage = 'connect';
      const raw = tcpConnect({ host: address, port });
      sockets.push(raw);
      raw.once('error', fail);
      raw.once('connect', () => {
        if (!secure) {
          afterConnected(raw);
          return;
        }
        stage = 'tls';
        const encrypted = tlsConnect({ socket: raw, host, ...(isIP(host) === 0 ? { servername: host } : {}) });
        sockets.push(encrypted);
        encrypted.once('error', fail);
        encrypted.once('secureConnect', () => afterConnected(encrypted));
      });
    }, fail);
  });
}
