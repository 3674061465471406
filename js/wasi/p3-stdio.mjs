// WASI 0.3 stdout and stderr in Node, written from the main thread.
//
// `write-via-stream: func(data: stream<u8>) -> future<result<_, error-code>>`: the guest's
// stream arrives as a ReadableStream, whose chunks go to process.stdout (or stderr) as the
// guest writes them, with the pipe's backpressure (a full pipe holds the guest's writes
// back). The shim writes them from a worker thread instead, whose output reaches the main
// thread asynchronously: a process that exits when `run` returns then loses what is still
// on its way (a 256 KiB write arrived as 248-252 KiB), and no main-thread drain can wait for
// it. Here the CLI's drain before exit covers everything written.
import { once } from 'node:events';

function errorCode(error) {
  return error?.code === 'EPIPE' || error?.code === 'ERR_STREAM_DESTROYED' ? 'pipe' : 'io';
}

async function writeAll(data, out) {
  const reader = data.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { tag: 'ok', val: undefined };
      if (out.errored || out.destroyed) throw out.errored ?? Object.assign(new Error('stream destroyed'), { code: 'ERR_STREAM_DESTROYED' });
      if (!out.write(value)) await Promise.race([once(out, 'drain'), once(out, 'error').then(([e]) => { throw e; })]);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    return { tag: 'err', val: errorCode(error) };
  }
}

/** `wasi:cli/stdout` and `wasi:cli/stderr` 0.3 for Node's process streams. */
export function nodeStdio(process) {
  return {
    stdout: { writeViaStream: (data) => writeAll(data, process.stdout) },
    stderr: { writeViaStream: (data) => writeAll(data, process.stderr) },
  };
}
