// WASI 0.3 stdin, stdout and stderr from streams the embedder gives (the `stdin`,
// `stdout` and `stderr` WASI options), on every platform:
//   stdin:  a ReadableStream, a Uint8Array or a string (UTF-8): what
//           `read-via-stream: func() -> tuple<stream<u8>, future<result<_, error-code>>>`
//           gives the guest, read only as the guest reads (the first call gets it, later
//           calls an empty stream: stdin is read once)
//   stdout, stderr: a WritableStream that `write-via-stream(data: stream<u8>)` pipes the
//           guest's bytes into, with its backpressure; never closed (several writes may go
//           to one stream); its failure is the write's `err(pipe)`
// Without them: the process's stdio in Node (p3-stdio.mjs), and in a page an empty stdin
// and the shim's console output.
import { byteStream } from '../platform.mjs';

const ok = { tag: 'ok', val: undefined };

function readable(stdin) {
  if (stdin instanceof ReadableStream) return stdin;
  const bytes = typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin;
  return byteStream({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes.slice());
      controller.close();
    },
  });
}

/** `wasi:cli/stdin` 0.3 reading `stdin` (a ReadableStream, Uint8Array or string). */
export function stdinFrom(stdin) {
  let stream = readable(stdin);
  return {
    readViaStream() {
      const given = stream ?? readable(new Uint8Array(0));
      stream = null;
      return [given, Promise.resolve(ok)];
    },
  };
}

/** `wasi:cli/stdout` (or stderr) 0.3 writing into `writable`, a WritableStream. */
export function outputTo(writable) {
  return {
    writeViaStream(data) {
      return data.pipeTo(writable, { preventClose: true }).then(() => ok, () => ({ tag: 'err', val: 'pipe' }));
    },
  };
}

/** Checks the stdio WASI options (options.mjs). */
export function checkStdio(options) {
  const out = {};
  if (options.stdin !== undefined) {
    const s = options.stdin;
    if (!(s instanceof ReadableStream) && !(s instanceof Uint8Array) && typeof s !== 'string') {
      throw new TypeError('WASI option `stdin` must be a ReadableStream, a Uint8Array or a string');
    }
    out.stdin = s;
  }
  for (const name of ['stdout', 'stderr']) {
    if (options[name] === undefined) continue;
    if (!(options[name] instanceof WritableStream)) throw new TypeError(`WASI option \`${name}\` must be a WritableStream`);
    out[name] = options[name];
  }
  return out;
}
