// Redraws while something runs. Views that show live state (the task tree, a pipe's
// progress) register a draw function; calls and pipes register the work they start.
// While any work is running, every animation frame draws; when the last one settles,
// one more frame draws the final state and the loop stops, so an idle page costs nothing.
export class Ticker {
  #running = 0;
  #frame = 0;
  #draws = new Set();

  /** Adds a draw function; returns a function that removes it. */
  onFrame(draw) {
    this.#draws.add(draw);
    return () => this.#draws.delete(draw);
  }

  /** Keeps drawing until `work` (a Promise) settles; resolves or rejects as it does. */
  async track(work) {
    this.#running++;
    this.#schedule();
    try {
      return await work;
    } finally {
      this.#running--;
      this.#schedule();
    }
  }

  /** Whether any tracked work is still running. */
  get busy() {
    return this.#running > 0;
  }

  /** Draws at the next frame (after a synchronous call, say). */
  requestDraw() {
    this.#schedule();
  }

  #schedule() {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      for (const draw of this.#draws) {
        // One view failing must not stop the others; the error still reaches the console.
        try { draw(); } catch (e) { reportError(e); }
      }
      if (this.#running > 0) this.#schedule();
    });
  }
}
