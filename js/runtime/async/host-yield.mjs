// Running something after the host's event loop had a turn (a macrotask, not a timer):
// what a guest's YIELD gives the host. Node: setImmediate (unref'd unless keepAlive, so a
// guest yielding forever with no host call pending does not keep the process running).
// Browsers: a MessageChannel message.
let channel = null;
const queue = [];

export function afterHostTurn(fn, { keepAlive = true } = {}) {
  if (typeof setImmediate === 'function') {
    const handle = setImmediate(fn);
    if (!keepAlive) handle.unref?.();
    return;
  }
  if (channel === null) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queue.shift()?.();
  }
  queue.push(fn);
  channel.port2.postMessage(null);
}
