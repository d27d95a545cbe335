import { configError } from '../config-error.js';

/** The `market_event.caution` flags of `/v1/market/all?isDetails=true` (recorded 2026-07). */
export const CAUTION_FLAGS = [
  'PRICE_FLUCTUATIONS',
  'TRADING_VOLUME_SOARING',
  'DEPOSIT_AMOUNT_SOARING',
  'GLOBAL_PRICE_DIFFERENCES',
  'CONCENTRATION_OF_SMALL_ACCOUNTS',
] as const;
export type CautionFlag = (typeof CAUTION_FLAGS)[number];

/** WebSocket ticker `market_state` (documented values). */
export type MarketStateName = 'PREVIEW' | 'ACTIVE' | 'DELISTED';
export const MARKET_STATE_NAMES: readonly MarketStateName[] = ['PREVIEW', 'ACTIVE', 'DELISTED'];

/** A market's listing status: what `market_event` and the WebSocket ticker's status fields report. */
export interface MarketStatus {
  /** `market_event.warning` (`market_warning: "CAUTION"` on the WebSocket ticker when true). */
  readonly warning: boolean;
  readonly cautions: Readonly<Record<CautionFlag, boolean>>;
  readonly marketState: MarketStateName;
  /** `is_trading_suspended` (deprecated by Upbit, still sent). */
  readonly tradingSuspended: boolean;
  /** `delisting_date`, `yyyy-MM-dd` or null. The spelling of a real value is not on record (chosen here). */
  readonly delistingDate: string | null;
}

/** A partial change of a market's status (`SimControl.setMarketStatus`). */
export interface MarketStatusPatch {
  readonly warning?: boolean;
  readonly cautions?: Partial<Readonly<Record<CautionFlag, boolean>>>;
  readonly marketState?: MarketStateName;
  readonly tradingSuspended?: boolean;
  readonly delistingDate?: string | null;
}

export function initialStatus(warning: boolean, cautions: readonly string[]): MarketStatus {
  const flags = Object.fromEntries(CAUTION_FLAGS.map((flag) => [flag, cautions.includes(flag)])) as Record<
    CautionFlag,
    boolean
  >;
  return { warning, cautions: flags, marketState: 'ACTIVE', tradingSuspended: false, delistingDate: null };
}

/** Applies a patch, checking every value (a bad one throws a ConfigError and changes nothing). */
export function patchStatus(status: MarketStatus, patch: MarketStatusPatch): MarketStatus {
  const known = new Set(['warning', 'cautions', 'marketState', 'tradingSuspended', 'delistingDate']);
  for (const key of Object.keys(patch)) {
    if (!known.has(key)) throw configError(`status.${key}`, `unknown market status field ${JSON.stringify(key)}`);
  }
  if (patch.warning !== undefined && typeof patch.warning !== 'boolean') {
    throw configError('status.warning', 'warning must be a boolean', patch.warning);
  }
  if (patch.tradingSuspended !== undefined && typeof patch.tradingSuspended !== 'boolean') {
    throw configError('status.tradingSuspended', 'tradingSuspended must be a boolean', patch.tradingSuspended);
  }
  if (patch.marketState !== undefined && !MARKET_STATE_NAMES.includes(patch.marketState)) {
    throw configError('status.marketState', `marketState must be one of ${MARKET_STATE_NAMES.join(', ')}`);
  }
  const date = patch.delistingDate;
  if (date !== undefined && date !== null && !isCalendarDate(date)) {
    throw configError('status.delistingDate', 'delistingDate must be yyyy-MM-dd or null', date);
  }
  const cautions: Record<CautionFlag, boolean> = { ...status.cautions };
  for (const [flag, value] of Object.entries(patch.cautions ?? {})) {
    const known = CAUTION_FLAGS.find((f) => f === flag);
    if (known === undefined) throw configError(`status.cautions.${flag}`, `unknown caution flag ${flag}`);
    if (typeof value !== 'boolean') throw configError(`status.cautions.${flag}`, 'caution flags are booleans', value);
    cautions[known] = value;
  }
  return {
    warning: patch.warning ?? status.warning,
    cautions,
    marketState: patch.marketState ?? status.marketState,
    tradingSuspended: patch.tradingSuspended ?? status.tradingSuspended,
    delistingDate: date === undefined ? status.delistingDate : date,
  };
}

function isCalendarDate(text: unknown): boolean {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(text);
}

/**
 * Whether the market trades. A suspended market, and one that is not ACTIVE (PREVIEW: deposits only; DELISTED),
 * makes no trades and no book changes. Upbit's exact behaviour is not on record: chosen here.
 */
export function isTrading(status: MarketStatus): boolean {
  return status.marketState === 'ACTIVE' && !status.tradingSuspended;
}
