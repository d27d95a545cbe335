import { type Clock, ClosedError, type Logger } from '@marketdata/domain';
import type { KV } from '@nats-io/kv';
import { Kvm } from '@nats-io/kv';
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { watchNatsStatus } from '../nats-status.js';
import { type MuxReply, RequestMux } from './request-mux.js';
import { untilSignal } from './until-signal.js';

export type ConnectFunction = (options: {
  readonly servers: string;
  readonly name: string;
  readonly maxReconnectAttempts: number;
  readonly reconnectTimeWait: number;
  readonly waitOnFirstConnect: boolean;
  readonly pingInterval: number;
}) => Promise<NatsConnection>;

export interface FleetConnectionOptions {
  readonly url: string;
  readonly name: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Pause between reconnect attempts, ms. */
  readonly reconnectWaitMs: number;
  /** nats.js `connect` (injectable for tests). */
  readonly connect?: ConnectFunction | undefined;
}

/** A message as the sources read it. */
export interface FleetMessage {
  readonly data: Uint8Array;
}

/** A stored latest value as late joining reads it (a `KvEntry` is one). */
export interface StoredValue {
  readonly value: Uint8Array;
  /** The server's store time. */
  readonly created: Date;
  readonly operation: 'PUT' | 'DEL' | 'PURGE';
}

export interface LatestReader {
  get(key: string): Promise<StoredValue | null>;
}

/** What the fleet sources need of the NATS path (a `FleetConnection`; tests give an in-memory one). */
export interface FleetLink {
  readonly isUp: boolean;
  readonly isDown: boolean;
  take(): void;
  release(): Promise<void>;
  onChange(listener: (change: ConnectionChange) => void): () => void;
  subscribe(subject: string, onMessage: (msg: FleetMessage) => void): () => void;
  publish(subject: string, payload: Uint8Array): boolean;
  request(subject: string, payload: Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<MuxReply>;
  bucket(name: string): Promise<LatestReader>;
  ready(signal?: AbortSignal): Promise<unknown>;
}

export type ConnectionChange =
  | { readonly type: 'up' }
  | { readonly type: 'down'; readonly reason: string }
  | { readonly type: 'closed' };

interface WantedSubscription {
  readonly subject: string;
  readonly onMessage: (msg: Msg) => void;
  active: Subscription | undefined;
}

/**
 * One NATS connection shared by a consumer's fleet sources. It connects in the background (retrying for ever, so a
 * consumer may start before NATS), keeps the subscriptions it is asked for (made once connected; nats.js renews them
 * after a reconnect), and tells its listeners when the path is up or down. Nothing here talks to Upbit.
 */
export class FleetConnection implements FleetLink {
  private nats: NatsConnection | undefined;
  private readonly connected: Promise<NatsConnection>;
  private readonly wanted = new Set<WantedSubscription>();
  private readonly listeners = new Set<(change: ConnectionChange) => void>();
  private readonly mux: RequestMux;
  private latestBucket: Promise<KV> | undefined;
  private stopStatus: (() => void) | undefined;
  private closing = false;
  private users = 0;
  private up = false;
  private everUp = false;

  constructor(private readonly options: FleetConnectionOptions) {
    this.mux = new RequestMux(options.clock);
    const open = options.connect ?? (connect as ConnectFunction);
    this.connected = open({
      servers: options.url,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: options.reconnectWaitMs,
      waitOnFirstConnect: true,
      pingInterval: 5_000,
    });
    this.connected.then(
      (nats) => this.onConnected(nats),
      (error: unknown) => {
        options.logger.error('NATS connection failed for good', { url: options.url, error: String(error) });
        this.tell({ type: 'down', reason: String(error) });
      },
    );
  }

  /** Each source sharing the connection takes it; it closes when the last one lets go. */
  take(): void {
    this.users++;
  }

  onChange(listener: (change: ConnectionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Was connected and is not now (reconnecting): requests would only wait. */
  get isDown(): boolean {
    return this.everUp && !this.up;
  }

  /** Resolves once connected (the first time), or rejects with the signal's reason. */
  ready(signal?: AbortSignal): Promise<NatsConnection> {
    if (this.closing) return Promise.reject(new ClosedError('fleet connection', { channel: 'api' }));
    if (this.nats !== undefined) return Promise.resolve(this.nats);
    return untilSignal(this.connected, signal);
  }

  subscribe(subject: string, onMessage: (msg: Msg) => void): () => void {
    const entry: WantedSubscription = { subject, onMessage, active: undefined };
    this.wanted.add(entry);
    if (this.nats !== undefined) this.activate(this.nats, entry);
    return () => {
      this.wanted.delete(entry);
      entry.active?.unsubscribe();
      entry.active = undefined;
    };
  }

  /** Fire and forget; false when not connected yet (callers send again on `up`). */
  publish(subject: string, payload: Uint8Array): boolean {
    const nats = this.nats;
    if (nats === undefined || nats.isClosed()) return false;
    try {
      nats.publish(subject, payload);
      return true;
    } catch (error) {
      this.options.logger.debug('publish failed', { subject, error: String(error) });
      return false;
    }
  }

  async request(subject: string, payload: Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<MuxReply> {
    const nats = await this.ready(signal);
    return this.mux.request(nats, subject, payload, timeoutMs, signal);
  }

  /** The KV bucket of latest values, opened once (again after a failure). */
  bucket(name: string): Promise<KV> {
    if (this.latestBucket === undefined) {
      this.latestBucket = this.ready().then((nats) => new Kvm(nats).open(name));
      this.latestBucket.catch(() => {
        this.latestBucket = undefined;
      });
    }
    return this.latestBucket;
  }

  async release(): Promise<void> {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0 || this.closing) return;
    this.closing = true;
    this.stopStatus?.();
    this.mux.close(new ClosedError('fleet connection', { channel: 'api' }));
    for (const entry of this.wanted) entry.active = undefined;
    this.wanted.clear();
    const nats = this.nats;
    if (nats !== undefined) {
      // What was just published (the goodbye announcement) leaves before the connection does.
      if (this.up) await nats.flush().catch(() => undefined);
      await nats.close().catch(() => undefined);
    } else {
      // Still connecting: close it as soon as it is there.
      this.connected.then((late) => late.close()).catch(() => undefined);
    }
    this.tell({ type: 'closed' });
    this.listeners.clear();
  }

  private onConnected(nats: NatsConnection): void {
    if (this.closing) {
      void nats.close();
      return;
    }
    this.nats = nats;
    this.mux.attach(nats);
    for (const entry of this.wanted) this.activate(nats, entry);
    this.stopStatus = watchNatsStatus(nats, (status) => {
      if (status.type === 'disconnect') this.tell({ type: 'down', reason: `disconnected from ${status.server}` });
      else if (status.type === 'reconnect') this.tell({ type: 'up' });
    });
    void nats.closed().then((error) => {
      if (!this.closing) {
        this.tell({
          type: 'down',
          reason: error instanceof Error ? `connection closed: ${error.message}` : 'connection closed',
        });
      }
    });
    this.options.logger.info('NATS connected', { server: nats.getServer() });
    this.tell({ type: 'up' });
  }

  private activate(nats: NatsConnection, entry: WantedSubscription): void {
    try {
      entry.active = nats.subscribe(entry.subject, {
        callback: (error, msg) => {
          if (error === null) entry.onMessage(msg);
        },
      });
    } catch (error) {
      this.options.logger.warn('subscribe failed', { subject: entry.subject, error: String(error) });
    }
  }

  private tell(change: ConnectionChange): void {
    this.up = change.type === 'up';
    if (this.up) this.everUp = true;
    for (const listener of [...this.listeners]) listener(change);
  }
}
