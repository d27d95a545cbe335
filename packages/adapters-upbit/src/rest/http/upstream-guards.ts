import { isUpstreamError, type UpstreamError } from '@marketdata/domain';
import { isCodeNotFound } from './response-errors.js';

/** Upbit's 404 `Code not found` for a request naming several markets (one or more of them unknown). */
export function isBatchCodeNotFound(error: unknown): error is UpstreamError {
  return (
    isUpstreamError(error) &&
    error.status !== undefined &&
    isCodeNotFound(error.status, { name: error.upstreamName, message: error.upstreamMessage })
  );
}
