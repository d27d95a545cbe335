import type { NatsConnection, QueuedIterator, Status } from '@nats-io/nats-core';

/**
 * Hears the connection's status events (disconnect, reconnect, close, ...) until the returned function is called or
 * the connection closes. nats.js hands out one queued iterator per caller; this drains it into a callback.
 */
export function watchNatsStatus(nats: NatsConnection, onStatus: (status: Status) => void): () => void {
  const events = nats.status() as QueuedIterator<Status>;
  void (async () => {
    for await (const status of events) onStatus(status);
  })().catch(() => undefined);
  return () => events.stop();
}
