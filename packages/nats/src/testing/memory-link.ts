import { ChannelUnavailableError } from '@marketdata/domain';
import type {
  ConnectionChange,
  FleetLink,
  FleetMessage,
  LatestReader,
  StoredValue,
} from '../source/fleet-connection.js';
import type { MuxReply } from '../source/request-mux.js';

/**
 * An in-memory NATS path for driving the fleet sources with a FakeClock: the test delivers messages on subjects,
 * flips the connection up and down, and reads what the source published (its demand announcements).
 */
export class MemoryLink implements FleetLink {
  isUp = false;
  isDown = false;
  users = 0;
  readonly published: { readonly subject: string; readonly payload: Uint8Array }[] = [];
  readonly store = new Map<string, StoredValue>();
  answer: ((subject: string, payload: Uint8Array) => Promise<MuxReply>) | undefined;
  private readonly subscriptions = new Map<string, Set<(msg: FleetMessage) => void>>();
  private readonly listeners = new Set<(change: ConnectionChange) => void>();

  take(): void {
    this.users++;
  }

  async release(): Promise<void> {
    this.users--;
  }

  onChange(listener: (change: ConnectionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribe(subject: string, onMessage: (msg: FleetMessage) => void): () => void {
    let set = this.subscriptions.get(subject);
    if (set === undefined) {
      set = new Set();
      this.subscriptions.set(subject, set);
    }
    set.add(onMessage);
    return () => {
      set.delete(onMessage);
      if (set.size === 0) this.subscriptions.delete(subject);
    };
  }

  publish(subject: string, payload: Uint8Array): boolean {
    if (!this.isUp) return false;
    this.published.push({ subject, payload });
    return true;
  }

  request(subject: string, payload: Uint8Array): Promise<MuxReply> {
    if (this.answer === undefined) {
      return Promise.reject(new ChannelUnavailableError(`no responders on ${subject}`, { reason: 'no-responders' }));
    }
    return this.answer(subject, payload);
  }

  async bucket(): Promise<LatestReader> {
    return { get: async (key) => this.store.get(key) ?? null };
  }

  async ready(): Promise<void> {}

  // Test drivers.

  up(): void {
    this.isUp = true;
    this.isDown = false;
    for (const listener of [...this.listeners]) listener({ type: 'up' });
  }

  down(reason: string): void {
    this.isUp = false;
    this.isDown = true;
    for (const listener of [...this.listeners]) listener({ type: 'down', reason });
  }

  deliver(subject: string, payload: Uint8Array): void {
    for (const onMessage of [...(this.subscriptions.get(subject) ?? [])]) onMessage({ data: payload });
  }

  isSubscribed(subject: string): boolean {
    return this.subscriptions.has(subject);
  }

  subjects(): string[] {
    return [...this.subscriptions.keys()];
  }
}
