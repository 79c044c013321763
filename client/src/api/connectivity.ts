/**
 * Whether the server is reachable. A failed request marks it unreachable; from then on the
 * health route is polled (with a growing pause) until it answers, and listeners hear that the
 * connection is back so that pages can reload what failed. The banner reads this store.
 */
type Listener = (online: boolean) => void;

class Connectivity {
  online = typeof navigator === 'undefined' ? true : navigator.onLine !== false;
  private listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delay = 1000;

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', () => this.reportFailure());
      window.addEventListener('online', () => this.probeSoon(0));
    }
    if (!this.online) this.probeSoon(this.delay);
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  reportFailure(): void {
    if (this.online) {
      this.online = false;
      this.delay = 1000;
      this.emit();
    }
    this.probeSoon(this.delay);
  }

  reportSuccess(): void {
    if (!this.online) {
      this.online = true;
      clearTimeout(this.timer);
      this.timer = undefined;
      this.emit();
    }
  }

  private probeSoon(ms: number): void {
    if (this.timer !== undefined) {
      if (ms !== 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => void this.probe(), ms);
  }

  private async probe(): Promise<void> {
    this.timer = undefined;
    try {
      const res = await fetch('/api/health', { cache: 'no-store' });
      if (res.ok) return this.reportSuccess();
    } catch {
      // still unreachable
    }
    this.delay = Math.min(this.delay * 2, 15_000);
    this.probeSoon(this.delay);
  }

  private emit(): void {
    for (const fn of this.listeners) fn(this.online);
  }
}

export const connectivity = new Connectivity();
