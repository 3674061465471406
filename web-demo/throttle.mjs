// A speed limit for the file pipe, so a person (or a test) can watch the task tree while a
// stream runs: chunks pass at no more than `limit` bytes per second; 0 holds them until
// the limit changes (paused); Infinity lets them through at once. Changing the limit
// wakes chunks that wait, so a paused pipe resumes at once.
export class Throttle {
  #limit = Infinity;
  #readyAt = 0;
  #wakers = new Set();

  get limit() {
    return this.#limit;
  }

  set limit(bytesPerSecond) {
    this.#limit = bytesPerSecond;
    this.#readyAt = 0;
    for (const wake of this.#wakers) wake();
    this.#wakers.clear();
  }

  /** Resolves when a chunk of `bytes` may pass; rejects with the reason when `signal` aborts. */
  async pass(bytes, signal) {
    for (;;) {
      signal?.throwIfAborted();
      if (this.#limit === Infinity) return;
      const now = performance.now();
      if (this.#limit > 0 && this.#readyAt <= now) {
        this.#readyAt = Math.max(now, this.#readyAt) + (bytes * 1000) / this.#limit;
        return;
      }
      await this.#sleep(this.#limit > 0 ? this.#readyAt - now : Infinity, signal);
    }
  }

  #sleep(ms, signal) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = ms === Infinity ? 0 : setTimeout(done, ms);
      this.#wakers.add(done);
      signal?.addEventListener('abort', done);
    });
  }
}
