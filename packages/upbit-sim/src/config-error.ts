import { ConfigError } from '@marketdata/domain';

/** A ConfigError for one bad setting. */
export function configError(path: string, message: string, value?: unknown): ConfigError {
  return new ConfigError([{ path, message, value }]);
}
