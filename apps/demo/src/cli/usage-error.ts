/** The user's invocation is wrong (unknown flag, bad value, unreadable config): exit code 2. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export function isUsageError(value: unknown): value is UsageError {
  return value instanceof UsageError;
}
