export interface SimCounters {
  /** Every HTTP request received on the REST port, by group (`none` for unknown routes). */
  readonly requestsByGroup: Readonly<Record<string, number>>;
  readonly responsesByStatus: Readonly<Record<string, number>>;
  readonly sent429: number;
  readonly sent418: number;
  /** Accepted WebSocket upgrades, total. */
  readonly wsConnections: number;
  /** WebSocket connection attempts refused by the connection rate limit. */
  readonly wsConnectionsRefused: number;
  /** WebSocket data frames sent (every subscriber counts). */
  readonly framesSent: number;
  readonly framesPerCode: Readonly<Record<string, number>>;
  /** Frames sent per connection id, for connections open now and closed ones. */
  readonly framesPerConnection: Readonly<Record<string, number>>;
  readonly malformedFramesSent: number;
  /** Trades the simulated market made (whether or not anyone subscribed). */
  readonly tradesSimulated: number;
}

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Mutable counters behind SimControl.counters(). */
export class CounterBook {
  readonly requestsByGroup = new Map<string, number>();
  readonly responsesByStatus = new Map<string, number>();
  readonly framesPerCode = new Map<string, number>();
  readonly framesPerConnection = new Map<string, number>();
  sent429 = 0;
  sent418 = 0;
  wsConnections = 0;
  wsConnectionsRefused = 0;
  framesSent = 0;
  malformedFramesSent = 0;
  tradesSimulated = 0;

  request(group: string): void {
    increment(this.requestsByGroup, group);
  }

  response(status: number): void {
    increment(this.responsesByStatus, String(status));
    if (status === 429) this.sent429++;
    else if (status === 418) this.sent418++;
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
    this.sent429 = 0;
    this.sent418 = 0;
    this.wsConnections = 0;
    this.wsConnectionsRefused = 0;
    this.framesSent = 0;
    this.malformedFramesSent = 0;
    this.tradesSimulated = 0;
  }

  snapshot(): SimCounters {
    return {
      requestsByGroup: Object.fromEntries(this.requestsByGroup),
      responsesByStatus: Object.fromEntries(this.responsesByStatus),
      sent429: this.sent429,
      sent418: this.sent418,
      wsConnections: this.wsConnections,
      wsConnectionsRefused: this.wsConnectionsRefused,
      framesSent: this.framesSent,
      framesPerCode: Object.fromEntries(this.framesPerCode),
      framesPerConnection: Object.fromEntries(this.framesPerConnection),
      malformedFramesSent: this.malformedFramesSent,
      tradesSimulated: this.tradesSimulated,
    };
  }
}
