import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, Logger, TimerHandle } from '@marketdata/domain';
import type { CounterBook } from '../control/counters.js';
import type { FaultState, ForcedFailure } from '../control/fault-state.js';
import { httpDate } from '../format/time-text.js';
import type { MarketEngine } from '../model/market-engine.js';
import type { RestGroup } from '../options.js';
import { blockedBody, NO_ROUTE, serverErrorBody, TOO_MANY_REQUESTS } from './error-bodies.js';
import type { RateLimiter } from './rate-limiter.js';
import { headersOf, type Reply, streamHugeBody } from './reply-writer.js';
import { findRoute } from './rest-routes.js';

export interface RestHandlerDeps {
  readonly engine: MarketEngine;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limiter: RateLimiter | undefined;
  readonly faults: FaultState;
  readonly counters: CounterBook;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const TEXT_TYPE = 'text/plain;charset=UTF-8';

export interface RestHandler {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Drops replies held back by latency or slow-body faults (on close). */
  cancelPending(): void;
}

/** Request handler for the REST port: routing, Upbit's rate limits, then faults on the way out. */
export function createRestHandler(deps: RestHandlerDeps): RestHandler {
  const pending = new Set<TimerHandle>();
  const later = (callback: () => void, ms: number): void => {
    const handle = deps.clock.setTimeout(() => {
      pending.delete(handle);
      callback();
    }, ms);
    pending.add(handle);
  };
  let dateSecond = Number.NaN;
  let dateText = '';
  const dateHeader = (now: number): string => {
    const second = Math.floor(now / 1000);
    if (second !== dateSecond) {
      dateSecond = second;
      dateText = httpDate(now);
    }
    return dateText;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // A request body is never read; drain it so keep-alive connections stay usable.
    req.resume();
    let reply: Reply;
    try {
      reply = answer(deps, req);
    } catch (error) {
      deps.logger.error('upbit-sim: REST handler failed', { error: String(error), url: req.url });
      reply = {
        status: 500,
        contentType: JSON_TYPE,
        body: serverErrorBody(500),
        remainingReq: undefined,
        group: undefined,
      };
    }
    const latency = reply.group === undefined ? 0 : deps.faults.latencyFor(reply.group);
    if (latency > 0) later(() => send(deps, res, reply, dateHeader, later), latency);
    else send(deps, res, reply, dateHeader, later);
  };
  return {
    handle,
    cancelPending() {
      for (const timer of pending) deps.clock.clearTimeout(timer);
      pending.clear();
    },
  };
}

function answer(deps: RestHandlerDeps, req: IncomingMessage): Reply {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const route = req.method === 'GET' || req.method === 'HEAD' ? findRoute(path) : undefined;
  if (route === undefined) {
    deps.counters.request('none');
    return { status: 404, contentType: JSON_TYPE, body: NO_ROUTE, remainingReq: undefined, group: undefined };
  }
  const group = route.group;
  deps.counters.request(group);

  const forced = deps.faults.takeFailure(group);
  if (forced !== undefined) {
    if (forced.status === 429 || forced.status === 418) deps.counters.refusal('rest', 'injected', forced.status);
    return forcedReply(forced, group);
  }

  let remainingReq: string | undefined = `group=${group}; min=600; sec=9`;
  if (deps.limiter !== undefined) {
    const ip = req.socket.remoteAddress ?? 'unknown';
    const decision = deps.limiter.checkRest(ip, group, req.headers.origin !== undefined);
    if (decision.kind === 'limited') {
      deps.counters.refusal('rest', 'limit', 429);
      return { status: 429, contentType: TEXT_TYPE, body: TOO_MANY_REQUESTS, remainingReq: decision.header, group };
    }
    if (decision.kind === 'blocked') {
      deps.counters.refusal('rest', 'limit', 418);
      return {
        status: 418,
        contentType: TEXT_TYPE,
        body: blockedBody(decision.blockedForMs),
        remainingReq: decision.header,
        group,
      };
    }
    remainingReq = decision.header;
  }
  const now = deps.clock.now();
  const result = route.handle({ engine: deps.engine, now, query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)) });
  return { status: result.status, contentType: JSON_TYPE, body: result.body, remainingReq, group };
}

function forcedReply(forced: ForcedFailure, group: RestGroup): Reply {
  const { status } = forced;
  const headers = forced.retryAfter === undefined ? {} : { 'Retry-After': forced.retryAfter };
  const limited = `group=${group}; min=600; sec=0`;
  if (status === 429) {
    return { status, contentType: TEXT_TYPE, body: TOO_MANY_REQUESTS, remainingReq: limited, group, headers };
  }
  if (status === 418) {
    return { status, contentType: TEXT_TYPE, body: blockedBody(10_000), remainingReq: limited, group, headers };
  }
  return { status, contentType: JSON_TYPE, body: serverErrorBody(status), remainingReq: undefined, group, headers };
}

function send(
  deps: RestHandlerDeps,
  res: ServerResponse,
  reply: Reply,
  dateHeader: (now: number) => string,
  later: (callback: () => void, ms: number) => void,
): void {
  if (res.destroyed) return;
  deps.counters.response(reply.status);
  const body = Buffer.from(reply.body, 'utf8');
  const huge = reply.status === 200 && reply.group !== undefined ? deps.faults.takeHugeBody(reply.group) : undefined;
  const truncate = huge === undefined && deps.faults.takeTruncate();
  const headers = headersOf(reply, dateHeader(deps.clock.now()));
  res.sendDate = false;
  if (huge !== undefined && huge >= body.length) {
    headers['Content-Length'] = huge;
    res.writeHead(reply.status, headers);
    streamHugeBody(res, reply.body, huge, deps.counters);
    return;
  }
  // A truncated body goes out chunked and ends early, so the client gets a complete response with broken JSON.
  if (!truncate) headers['Content-Length'] = body.length;
  res.writeHead(reply.status, headers);
  const payload = truncate ? body.subarray(0, Math.max(1, Math.floor(body.length / 2))) : body;
  const slow = deps.faults.slowBodyMs;
  if (slow > 0) {
    res.flushHeaders();
    later(() => {
      if (!res.destroyed) res.end(payload);
    }, slow);
    return;
  }
  res.end(payload);
}
