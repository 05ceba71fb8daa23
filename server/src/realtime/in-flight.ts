// Counts work under way (HTTP requests and socket operations) so a graceful shutdown can let it
// finish before connections are cut and the database closes.
export class InFlight {
  private pending = 0;
  private idle: (() => void)[] = [];

  begin(): void {
    this.pending += 1;
  }

  end(): void {
    this.pending -= 1;
    if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.begin();
    return work.finally(() => this.end());
  }

  /** Resolves when nothing is under way, or after `timeoutMs` at the latest. */
  drain(timeoutMs: number): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
