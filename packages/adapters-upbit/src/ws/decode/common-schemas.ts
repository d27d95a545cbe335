import * as v from 'valibot';

/** `stream_type`: SNAPSHOT for the first frame per code, then REALTIME. Absent in some docs examples. */
export const streamTypeSchema = v.optional(v.picklist(['SNAPSHOT', 'REALTIME']));

/** Validation options for every frame: all issues are collected (a refused frame lists its bad fields). */
export const FRAME_PARSE_CONFIG = { abortPipeEarly: true } as const;
