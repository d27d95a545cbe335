import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** Bounds any await in these tests: a fault must show up as a failure with a name, never as a hung test. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A client that keeps reconnecting quickly (the server may be down for a while) and records its status events. */
export interface RecordedConnection {
  readonly nc: NatsConnection;
  /** Status event types in arrival order (`disconnect`, `reconnecting`, `reconnect`, ...). */
  readonly events: readonly string[];
}

export async function connectRecording(url: string): Promise<RecordedConnection> {
  const nc = await connect({ servers: url, reconnectTimeWait: 100, maxReconnectAttempts: -1, timeout: 5_000 });
  const events: string[] = [];
  void (async () => {
    for await (const status of nc.status()) events.push(status.type);
  })();
  return { nc, events };
}

/** Subscribes, publishes one message and returns what the subscriber received. */
export async function roundTrip(nc: NatsConnection, subject: string, payload: string): Promise<string> {
  const sub = nc.subscribe(subject, { max: 1 });
  const received = (async () => {
    for await (const msg of sub) return msg.string();
    return undefined;
  })();
  // The subscription is registered on the server before the publish goes out.
  await nc.flush();
  nc.publish(subject, payload);
  const text = await within(5_000, `round trip on ${subject}`, received);
  if (text === undefined) throw new Error(`subscription on ${subject} ended without a message`);
  return text;
}

/**
 * Puts `first`, watches the key until the watcher has delivered it, puts `second`; returns the values the watcher
 * saw, in order. The wait matters: a watcher starts from the key's latest value when it begins delivering, so a put
 * racing its creation can supersede `first` (the watcher then sees only `second`; seen with nats-server 2.9.10 and
 * @nats-io/kv 3.3.1 in about a third of tries under load). A watch gives the latest state, not every write.
 */
export async function kvPutGetWatch(
  nc: NatsConnection,
  bucket: string,
  key: string,
  first: string,
  second: string,
): Promise<{ readonly got: string | undefined; readonly watched: readonly string[] }> {
  const kv = await new Kvm(nc).create(bucket);
  await kv.put(key, first);
  const got = (await kv.get(key))?.string();
  const watch = await kv.watch({ key });
  const watched: string[] = [];
  let delivered: () => void = () => undefined;
  const firstDelivered = new Promise<void>((resolve) => {
    delivered = resolve;
  });
  const seen = (async () => {
    for await (const entry of watch) {
      watched.push(entry.string());
      delivered();
      if (watched.length === 2) break;
    }
  })();
  try {
    await within(5_000, `first value from the watch of ${bucket}/${key}`, firstDelivered);
    await kv.put(key, second);
    await within(5_000, `update from the watch of ${bucket}/${key}`, seen);
  } finally {
    watch.stop();
  }
  return { got, watched };
}
