// Work that must not overtake earlier work with the same key on this node (the sends to one chat,
// the bot steps of one conversation), while different keys run side by side.

export class Turns {
  /** The last work queued per key; the entry goes once it settles and nothing came after it. */
  private readonly last = new Map<string, Promise<unknown>>();

  /** Runs `work` after the key's earlier work has settled, failed or not. Call it before awaiting anything. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (this.last.get(key) ?? Promise.resolve()).then(work, work);
    const settled = result.catch(() => undefined);
    this.last.set(key, settled);
    void settled.then(() => {
      if (this.last.get(key) === settled) this.last.delete(key);
    });
    return result;
  }
}
