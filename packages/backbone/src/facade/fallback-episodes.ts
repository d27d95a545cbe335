import type { ChannelKind, Clock, DataSource, Logger } from '@marketdata/domain';

interface Episode {
  fallbacks: number;
  readonly startedAt: number;
}

/**
 * Logs fallbacks once per episode: the first fallback away from a channel opens an episode (one warning); the
 * channel's next success closes it (one info line with how many requests fell back meanwhile).
 */
export class FallbackEpisodes {
  private readonly open = new Map<ChannelKind, Episode>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onEpisode: () => void,
  ) {}

  fellBack(from: ChannelKind, to: DataSource, why: string): void {
    const episode = this.open.get(from);
    if (episode !== undefined) {
      episode.fallbacks++;
      return;
    }
    this.open.set(from, { fallbacks: 1, startedAt: this.clock.monotonic() });
    this.onEpisode();
    this.logger.warn(`falling back from ${from} to ${to}`, { from, to, reason: why });
  }

  /** The channel answered. Cheap when no episode is open (the usual case, on the hot path). */
  succeeded(channel: ChannelKind): void {
    const episode = this.open.get(channel);
    if (episode === undefined) return;
    this.open.delete(channel);
    const now = this.clock.monotonic();
    this.logger.info(`${channel} serving again after a fallback episode`, {
      channel,
      fallbacks: episode.fallbacks,
      durationMs: Math.round(now - episode.startedAt),
    });
  }
}
