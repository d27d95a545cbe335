/** Injected randomness (jitter, ids), so tests are deterministic. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
}
