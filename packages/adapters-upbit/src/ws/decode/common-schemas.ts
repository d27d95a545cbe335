import type { StreamType } from '@marketdata/domain';
import * as v from 'valibot';

/** `stream_type`: SNAPSHOT for the first frame per code, then REALTIME. Absent in some docs examples. */
export const streamTypeSchema = v.optional(v.picklist(['SNAPSHOT', 'REALTIME']));

/** The same check as `streamTypeSchema` for a present value, for the one-pass frame readers. */
export function isStreamType(value: unknown): value is StreamType {
  return value === 'SNAPSHOT' || value === 'REALTIME';
}

/** Validation options for every frame: all issues are collected (a refused frame lists its bad fields). */
export const FRAME_PARSE_CONFIG = { abortPipeEarly: true } as const;
