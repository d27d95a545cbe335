/** Where a watcher keeps values its consumer has not taken yet. Both implementations are bounded. */
export interface WatchQueue<T> {
  push(value: T): void;
  take(): T | undefined;
  readonly size: number;
  clear(): void;
}
