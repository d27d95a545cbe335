import {
  ChannelUnavailableError,
  type Clock,
  NetworkError,
  onAbort,
  TimeoutError,
  type TimerHandle,
} from '@marketdata/domain';
import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/nats-core';

export interface MuxReply {
  readonly data: Uint8Array;
  /** `Clock.monotonic()` when the reply arrived. */
  readonly arrivedAtMonotonic: number;
}

interface Pending {
  readonly resolve: (reply: MuxReply) => void;
  readonly reject: (error: unknown) => void;
  readonly subject: string;
  readonly timer: TimerHandle;
  readonly stopListening: () => void;
}

/**
 * Requests over one reply subscription (`_INBOX.<nuid>.*`), so that a request honours the caller's `AbortSignal` and
 * the injected clock (nats.js' own `request` knows only a timeout on the real clock). The server answers a request
 * nobody serves with a 503 status (no responders): that is `ChannelUnavailableError` at once, not a timeout.
 */
export class RequestMux {
  private readonly pending = new Map<string, Pending>();
  private readonly inbox = createInbox();
  private subscription: Subscription | undefined;
  private next = 0;

  constructor(private readonly clock: Clock) {}

  /** Subscribes the reply subject on this connection (nats.js keeps it across reconnects). */
  attach(nats: NatsConnection): void {
    this.subscription = nats.subscribe(`${this.inbox}.*`, {
      callback: (error, msg) => {
        if (error === null) this.settle(msg);
      },
    });
  }

  request(
    nats: NatsConnection,
    subject: string,
    payload: Uint8Array,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<MuxReply> {
    return new Promise<MuxReply>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(signal.reason);
        return;
      }
      const token = String(++this.next);
      const finish = (): void => {
        const entry = this.pending.get(token);
        if (entry === undefined) return;
        this.pending.delete(token);
        this.clock.clearTimeout(entry.timer);
        entry.stopListening();
      };
      const timer = this.clock.setTimeout(() => {
        finish();
        reject(
          new TimeoutError(`no answer on ${subject} within ${timeoutMs} ms`, {
            timeoutMs,
            channel: 'rest',
            operation: subject,
          }),
        );
      }, timeoutMs);
      const stopListening =
        signal === undefined
          ? () => {}
          : onAbort(signal, (reason) => {
              finish();
              reject(reason);
            });
      this.pending.set(token, {
        resolve: (reply) => {
          finish();
          resolve(reply);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
        subject,
        timer,
        stopListening,
      });
      try {
        nats.publish(subject, payload, { reply: `${this.inbox}.${token}` });
      } catch (error) {
        this.pending.get(token)?.reject(
          new NetworkError(`request on ${subject} not sent: ${(error as Error).message}`, {
            channel: 'rest',
            operation: subject,
            cause: error,
          }),
        );
      }
    });
  }

  /** Rejects everything pending (the connection closed). */
  close(reason: unknown): void {
    for (const entry of [...this.pending.values()]) entry.reject(reason);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private settle(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const entry = this.pending.get(token);
    if (entry === undefined) return;
    if (msg.headers?.code === 503) {
      entry.reject(
        new ChannelUnavailableError(`no fleet gateway answers ${entry.subject} (NATS: no responders)`, {
          reason: 'no-responders',
          channel: 'rest',
          operation: entry.subject,
        }),
      );
      return;
    }
    entry.resolve({ data: msg.data, arrivedAtMonotonic: this.clock.monotonic() });
  }
}
