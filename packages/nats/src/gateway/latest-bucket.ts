import { ChannelUnavailableError, toMarketDataError } from '@marketdata/domain';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';

export type LatestStorage = 'memory' | 'file';

/**
 * The KV bucket of latest values: one value per key (`history: 1`). Memory storage by default: the values are
 * replaced many times a second and worthless after a while, and the gateway writes them all again when the server
 * comes back empty (`StreamRelay.reseed`). Server 2.9 has no per-key TTL; a value's age travels inside it.
 */
export async function ensureLatestBucket(nats: NatsConnection, bucket: string, storage: LatestStorage): Promise<void> {
  try {
    await new Kvm(nats).create(bucket, {
      history: 1,
      storage,
      description: 'Latest ticker and order book per market, for late joiners (written by the fleet gateway)',
    });
  } catch (error) {
    const cause = toMarketDataError(error);
    throw new ChannelUnavailableError(
      `KV bucket ${bucket} could not be created (is JetStream on? start nats-server with -js): ${cause.message}`,
      { reason: 'jetstream-unavailable', cause: error, operation: 'ensureLatestBucket' },
    );
  }
}
