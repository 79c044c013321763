/**
 * Fixed-window counters in memory, keyed by any string (an address, an account). Enough for one
 * server process; windows reset by themselves and stale keys are swept as the map grows.
 */
export class RateLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until `key` may try again, or 0 when it is under its limit (without counting). */
  retryAfter(key: string, now = Date.now()): number {
    const h = this.hits.get(key);
    if (!h || h.resetAt <= now || h.count < this.limit) return 0;
    return Math.max(1, Math.ceil((h.resetAt - now) / 1000));
  }

  /** Counts one hit for `key`; returns seconds to wait when this hit went over the limit, else 0. */
  hit(key: string, now = Date.now()): number {
    let h = this.hits.get(key);
    if (!h || h.resetAt <= now) {
      if (this.hits.size > 10_000) this.sweep(now);
      h = { count: 0, resetAt: now + this.windowMs };
      this.hits.set(key, h);
    }
    h.count++;
    return h.count > this.limit ? Math.max(1, Math.ceil((h.resetAt - now) / 1000)) : 0;
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private sweep(now: number): void {
    for (const [k, h] of this.hits) if (h.resetAt <= now) this.hits.delete(k);
  }
}
