/** Upbit's REST error bodies, byte for byte as recorded (fixtures rest-error-*.json). */
export const CODE_NOT_FOUND = '{"error":{"name":404,"message":"Code not found"}}';
export const MISSING_PARAMETER =
  '{"error":{"name":400,"message":"Missing request parameter error. Check the required parameters!"}}';
export const TYPE_MISMATCH = '{"error":{"name":400,"message":"Type mismatch error. Check the parameters type!"}}';
/** Recorded on Upbit Indonesia (same platform); used for out-of-range values such as an unsupported `level`. */
export const INVALID_PARAMETER = '{"error":{"name":400,"message":"Invalid parameter. Check the given value!"}}';
/** The gateway's answer for an unknown path: 404 and no Remaining-Req header. */
export const NO_ROUTE = '{"error":{"name":"not_found","message":"no Route matched with those values"}}';
/** 429 body: plain text (documented). */
export const TOO_MANY_REQUESTS = 'Too many API requests.';

/**
 * 418 body. Upbit documents that a 418 carries the block time, but no real 418 body was ever published; this
 * text is the simulator's own.
 */
export function blockedBody(blockedForMs: number): string {
  return `Too many API requests. Blocked for ${Math.ceil(blockedForMs / 1000)} seconds.`;
}

/** Body of a forced 5xx (Upbit's 5xx bodies are not on record; this one is the simulator's own). */
export function serverErrorBody(status: number): string {
  return `{"error":{"name":${status},"message":"upbit-sim: injected failure"}}`;
}
