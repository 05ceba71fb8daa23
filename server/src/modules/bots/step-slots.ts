// How many bot steps run at once on this node. Steps share one database (on SQLite one
// connection): letting a thousand interleave makes each one wait for all the others, so a few run
// at a time and the rest wait their turn before starting. A step gives its slot back while it
// waits for an external system (an HTTP action), so a slow system never holds up other bots.
export class StepSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }

  /** Runs `work` in a slot. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Inside a slot: gives it up while `outside` runs (an external call), then takes one again. */
  async outside<T>(outside: () => Promise<T>): Promise<T> {
    this.release();
    try {
      return await outside();
    } finally {
      await this.acquire();
    }
  }
}
