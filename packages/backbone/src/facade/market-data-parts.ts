import type { MarketDirectory } from '../directory/market-directory.js';
import type { BackboneParts } from './backbone-parts.js';

/** The facade's parts: the shared backbone parts plus the market directory that tells unknown symbols apart. */
export interface MarketDataParts extends BackboneParts {
  readonly markets: MarketDirectory;
}
