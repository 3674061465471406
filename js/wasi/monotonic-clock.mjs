// wasi:clocks/monotonic-clock 0.3's waits: `wait-until: async func(when: mark)` and
// `wait-for: async func(how-long: duration)`, in nanoseconds, as timers.
//
// Done here rather than by the shim because (a) a mark already reached, or a duration of
// zero, must be ready at once (Wasmtime's p3_clocks_sleep asserts it), where an async
// function's Promise always makes the guest wait a turn; (b) a timer can wait at most
// 2^31-1 ms: longer ones (a guest waiting `u64::MAX`, as Wasmtime's p3_cli_serve_sleep
// does) fire after 1 ms with a warning each, a busy loop; and (c) a guest that cancels
// its wait (subtask.cancel) must not leave the timer keeping the process alive.
const NS_PER_MS = 1_000_000n;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The `monotonic-clock` interface, with `now` and `get-resolution` from `base`. */
export function monotonicClock(base) {
  // Waits until base.now() reaches `when`, in timers of at most MAX_TIMER_MS.
  const until = (when, signal) => new Promise((resolve, reject) => {
    let timer;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const step = () => {
      const left = when - base.now();
      if (left <= 0n) {
        signal?.removeEventListener('abort', onAbort);
        resolve();
        return;
      }
      const ms = left / NS_PER_MS + 1n;
      timer = setTimeout(step, ms > BigInt(MAX_TIMER_MS) ? MAX_TIMER_MS : Number(ms));
    };
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    step();
  });
  return {
    ...base,
    // One parameter more than the WIT's: the runtime passes { signal } (README "Async"),
    // as it sees from the function's length, which a default value would hide.
    waitUntil: (when, call) => (when <= base.now() ? undefined : until(when, call?.signal)),
    waitFor: (duration, call) => (duration <= 0n ? undefined : until(base.now() + duration, call?.signal)),
  };
}
