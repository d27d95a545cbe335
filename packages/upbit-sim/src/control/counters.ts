/**
 * 429 and 418 answers by channel and cause: `Limit` = the simulator's rate limiter refused the client (the
 * client caused it), `Injected` = a fault (`failRest`, `failWsUpgrades`) answered it.
 */
export interface RefusalCounters {
  readonly restLimit429: number;
  readonly restLimit418: number;
  readonly restInjected429: number;
  readonly restInjected418: number;
  readonly wsUpgradeLimit429: number;
  readonly wsUpgradeLimit418: number;
  readonly wsUpgradeInjected429: number;
  readonly wsUpgradeInjected418: number;
}

export interface SimCounters {
  /** Every HTTP request received on the REST port, by group (`none` for unknown routes). */
  readonly requestsByGroup: Readonly<Record<string, number>>;
  /** REST answers and refused WebSocket upgrades, by HTTP status. */
  readonly responsesByStatus: Readonly<Record<string, number>>;
  /** Every 429 / 418 answer, REST and WebSocket upgrades, whatever the cause (see `refusals` for the split). */
  readonly sent429: number;
  readonly sent418: number;
  readonly refusals: RefusalCounters;
  /** Accepted WebSocket upgrades, total. */
  readonly wsConnections: number;
  /** WebSocket connection attempts refused by the connection rate limit. */
  readonly wsConnectionsRefused: number;
  /** Upgrade requests on the WebSocket path, whatever became of them. */
  readonly wsConnectAttempts: number;
  /** The most upgrade requests on the WebSocket path seen within any rolling second (1000 ms). */
  readonly maxWsConnectsPerSecond: number;
  /** Upgrade requests broken at the TCP level by `breakWsConnects` (reset, closed or left hanging). */
  readonly wsUpgradesBroken: number;
  /** Messages received on WebSocket connections (text `PING` excluded). */
  readonly wsMessagesReceived: number;
  /** Messages refused by the per-connection request limit (5/s, 100/min). */
  readonly wsMessagesRefused: number;
  /** Subscription requests answered with an error by `rejectSubscriptions`. */
  readonly wsSubscriptionsRejected: number;
  /** WebSocket data frames sent (every subscriber counts). */
  readonly framesSent: number;
  readonly framesPerCode: Readonly<Record<string, number>>;
  /** Frames sent per connection id, for connections open now and closed ones. */
  readonly framesPerConnection: Readonly<Record<string, number>>;
  readonly malformedFramesSent: number;
  /** REST bodies inflated by `hugeBodies`, and their bytes written. */
  readonly hugeBodiesSent: number;
  readonly hugeBodyBytesSent: number;
  /** Trades the simulated market made (whether or not anyone subscribed). */
  readonly tradesSimulated: number;
}

export type RefusalChannel = 'rest' | 'wsUpgrade';
export type RefusalCause = 'limit' | 'injected';

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

const ROLLING_SECOND_MS = 1000;

/** Mutable counters behind SimControl.counters(). */
export class CounterBook {
  readonly requestsByGroup = new Map<string, number>();
  readonly responsesByStatus = new Map<string, number>();
  readonly framesPerCode = new Map<string, number>();
  readonly framesPerConnection = new Map<string, number>();
  private refusalCounts = new Map<string, number>();
  private connectTimes: number[] = [];
  sent429 = 0;
  sent418 = 0;
  wsConnections = 0;
  wsConnectionsRefused = 0;
  wsConnectAttempts = 0;
  maxWsConnectsPerSecond = 0;
  wsUpgradesBroken = 0;
  wsMessagesReceived = 0;
  wsMessagesRefused = 0;
  wsSubscriptionsRejected = 0;
  framesSent = 0;
  malformedFramesSent = 0;
  hugeBodiesSent = 0;
  hugeBodyBytesSent = 0;
  tradesSimulated = 0;

  request(group: string): void {
    increment(this.requestsByGroup, group);
  }

  response(status: number): void {
    increment(this.responsesByStatus, String(status));
    if (status === 429) this.sent429++;
    else if (status === 418) this.sent418++;
  }

  /** A 429/418 answer (also counted by `response`). */
  refusal(channel: RefusalChannel, cause: RefusalCause, status: number): void {
    if (status !== 429 && status !== 418) return;
    increment(this.refusalCounts, `${channel}${cause === 'limit' ? 'Limit' : 'Injected'}${status}`);
  }

  /** An upgrade request on the WebSocket path at monotonic time `now`. */
  wsConnectAttempt(now: number): void {
    this.wsConnectAttempts++;
    const cutoff = now - ROLLING_SECOND_MS;
    let drop = 0;
    while (drop < this.connectTimes.length && (this.connectTimes[drop] ?? 0) <= cutoff) drop++;
    if (drop > 0) this.connectTimes = this.connectTimes.slice(drop);
    this.connectTimes.push(now);
    if (this.connectTimes.length > this.maxWsConnectsPerSecond) this.maxWsConnectsPerSecond = this.connectTimes.length;
  }

  frames(code: string, count: number): void {
    this.framesSent += count;
    increment(this.framesPerCode, code, count);
  }

  connectionFrames(connectionId: number, count: number): void {
    increment(this.framesPerConnection, String(connectionId), count);
  }

  reset(): void {
    this.requestsByGroup.clear();
    this.responsesByStatus.clear();
    this.framesPerCode.clear();
    this.framesPerConnection.clear();
    this.refusalCounts = new Map();
    this.connectTimes = [];
    this.sent429 = 0;
    this.sent418 = 0;
    this.wsConnections = 0;
    this.wsConnectionsRefused = 0;
    this.wsConnectAttempts = 0;
    this.maxWsConnectsPerSecond = 0;
    this.wsUpgradesBroken = 0;
    this.wsMessagesReceived = 0;
    this.wsMessagesRefused = 0;
    this.wsSubscriptionsRejected = 0;
    this.framesSent = 0;
    this.malformedFramesSent = 0;
    this.hugeBodiesSent = 0;
    this.hugeBodyBytesSent = 0;
    this.tradesSimulated = 0;
  }

  snapshot(): SimCounters {
    const r = (key: string): number => this.refusalCounts.get(key) ?? 0;
    return {
      requestsByGroup: Object.fromEntries(this.requestsByGroup),
      responsesByStatus: Object.fromEntries(this.responsesByStatus),
      sent429: this.sent429,
      sent418: this.sent418,
      refusals: {
        restLimit429: r('restLimit429'),
        restLimit418: r('restLimit418'),
        restInjected429: r('restInjected429'),
        restInjected418: r('restInjected418'),
        wsUpgradeLimit429: r('wsUpgradeLimit429'),
        wsUpgradeLimit418: r('wsUpgradeLimit418'),
        wsUpgradeInjected429: r('wsUpgradeInjected429'),
        wsUpgradeInjected418: r('wsUpgradeInjected418'),
      },
      wsConnections: this.wsConnections,
      wsConnectionsRefused: this.wsConnectionsRefused,
      wsConnectAttempts: this.wsConnectAttempts,
      maxWsConnectsPerSecond: this.maxWsConnectsPerSecond,
      wsUpgradesBroken: this.wsUpgradesBroken,
      wsMessagesReceived: this.wsMessagesReceived,
      wsMessagesRefused: this.wsMessagesRefused,
      wsSubscriptionsRejected: this.wsSubscriptionsRejected,
      framesSent: this.framesSent,
      framesPerCode: Object.fromEntries(this.framesPerCode),
      framesPerConnection: Object.fromEntries(this.framesPerConnection),
      malformedFramesSent: this.malformedFramesSent,
      hugeBodiesSent: this.hugeBodiesSent,
      hugeBodyBytesSent: this.hugeBodyBytesSent,
      tradesSimulated: this.tradesSimulated,
    };
  }
}
