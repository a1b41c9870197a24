/**
 * Coalesces identical computations running at the same time: the second caller with the same key shares the first
 * one's promise. Nothing is kept once it settles, so no answer is older than the request that asked for it (a
 * dashboard asks for the same period's figures through several endpoints at once).
 */
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, compute: () => Promise<T>): Promise<T> {
    const running = this.running.get(key);
    if (running) {
      return running;
    }
    const started = compute().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
