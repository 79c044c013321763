import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows up to the limit per window, then tells how long to wait, then resets', () => {
    const limiter = new RateLimiter(3, 60_000);
    const t0 = 1_000_000;
    expect([limiter.hit('a', t0), limiter.hit('a', t0), limiter.hit('a', t0)]).toEqual([0, 0, 0]);
    expect(limiter.retryAfter('a', t0)).toBe(60);
    expect(limiter.hit('a', t0 + 30_000)).toBe(30);
    expect(limiter.retryAfter('b', t0)).toBe(0);
    expect(limiter.hit('a', t0 + 60_000)).toBe(0);
    limiter.reset('a');
    expect(limiter.retryAfter('a', t0 + 60_000)).toBe(0);
  });
});
