import { DataValidationError } from '@marketdata/domain';
import { isWsDataType, type WsDataType } from '../ws/request-parser.js';

/**
 * Recording format (JSONL): one JSON object per line,
 *
 *   {"t": 1773240058509, "frame": "{\"type\":\"ticker\",\"code\":\"KRW-BTC\",...}"}
 *
 * `t` is the receive time in epoch milliseconds and `frame` the raw frame text exactly as it arrived (a JSON
 * string, so number spelling and 17-digit sequential_ids survive). Blank lines are skipped. Frames may be DEFAULT
 * (`type`/`code`) or SIMPLE (`ty`/`cd`), single objects or one-element lists; status and error frames are kept
 * in the file but not replayed (they belong to no subscription).
 */
export interface ReplayFrame {
  readonly t: number;
  readonly frame: string;
  readonly type: WsDataType;
  readonly code: string;
}

export function parseReplayLines(text: string): ReplayFrame[] {
  const frames: ReplayFrame[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new DataValidationError(`replay line ${i + 1}: not JSON`, { path: `$[${i}]`, cause: error });
    }
    const t = (record as { t?: unknown }).t;
    const frame = (record as { frame?: unknown }).frame;
    if (typeof t !== 'number' || !Number.isFinite(t) || typeof frame !== 'string') {
      throw new DataValidationError(`replay line ${i + 1}: expected {"t": epochMs, "frame": "<raw frame text>"}`, {
        path: `$[${i}]`,
      });
    }
    const target = routeOf(frame);
    if (target === undefined) continue;
    frames.push({ t, frame, type: target.type, code: target.code });
  }
  frames.sort((a, b) => a.t - b.t);
  return frames;
}

function routeOf(frame: string): { type: WsDataType; code: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch {
    return undefined;
  }
  const object = Array.isArray(parsed) ? parsed[0] : parsed;
  if (typeof object !== 'object' || object === null) return undefined;
  const fields = object as Record<string, unknown>;
  const type = fields.type ?? fields.ty;
  const code = fields.code ?? fields.cd;
  if (!isWsDataType(type) || typeof code !== 'string') return undefined;
  return { type, code };
}
