// A circuit breaker for the database (the failure matrix's proposed guardrail for an exhausted pool):
// after `threshold` failures in a row it opens and fails calls at once for `openMs`, then lets one
// trial call through; a success closes it.
/** Thrown for a call the open breaker refused. */
export class BreakerOpenError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`circuit breaker open: the database failed repeatedly; retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** The breaker's state. */
export class CircuitBreaker {
  #failures = 0;
  #openedAt: number | undefined;
  #trial = false;

  constructor(readonly threshold: number, readonly openMs: number) {}

  /** Throws BreakerOpenError while open; lets one trial call through once openMs passed. */
  check(): void {
    if (this.#openedAt === undefined) return;
    const left = this.#openedAt + this.openMs - performance.now();
    if (left > 0 || this.#trial) throw new BreakerOpenError(Math.max(left, 100));
    this.#trial = true;
  }

  success(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
    this.#trial = false;
  }

  failure(): void {
    this.#failures += 1;
    if (this.#trial || this.#failures >= this.threshold) this.#openedAt = performance.now();
    this.#trial = false;
  }

  get state(): 'closed' | 'open' {
    return this.#openedAt === undefined ? 'closed' : 'open';
  }
}
