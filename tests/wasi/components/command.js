// The `command` world's wasi:cli/run. Its first argument after the program name picks
// what it does; it always prints its arguments and environment first.
import { getArguments, getEnvironment } from 'wasi:cli/environment@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';
import { getStdin } from 'wasi:cli/stdin@0.2.12';
import { getStdout } from 'wasi:cli/stdout@0.2.12';
import { getStderr } from 'wasi:cli/stderr@0.2.12';
import { now } from 'wasi:clocks/wall-clock@0.2.12';
import { now as monotonicNow, subscribeDuration } from 'wasi:clocks/monotonic-clock@0.2.12';
import { poll } from 'wasi:io/poll@0.2.12';
import { getRandomBytes } from 'wasi:random/random@0.2.12';
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';

// QuickJS here has no TextEncoder; the tests use ASCII text.
const bytes = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const text = (data) => String.fromCharCode(...data);
const print = (line) => getStdout().blockingWriteAndFlush(bytes(`${line}\n`));

function dataDir() {
  const found = getDirectories().find(([, path]) => path === '/data');
  if (!found) throw 'no /data preopen';
  return found[0];
}

function readAll(stream) {
  let out = '';
  for (;;) {
    try {
      out += text(stream.blockingRead(4096));
    } catch (e) {
      if (e.payload?.tag === 'closed') return out;  // the toolchain throws an Error carrying err's payload
      throw e;
    }
  }
}

export const run = {
  run() {
    const [, mode, ...rest] = getArguments();
    print(`args ${JSON.stringify(getArguments())}`);
    print(`env ${JSON.stringify(getEnvironment())}`);
    switch (mode) {
      case 'files': {
        const dir = dataDir();
        const input = dir.openAt({}, 'input.txt', {}, { read: true });
        const [content] = input.read(1 << 16, 0);
        print(`input ${text(content)}`);
        const output = dir.openAt({}, 'output.txt', { create: true, truncate: true }, { write: true });
        output.write(bytes(text(content).toUpperCase()), 0);
        print('wrote output.txt');
        break;
      }
      case 'escape': {
        try {
          dataDir().openAt({}, rest[0], {}, { read: true });
          print('opened');
        } catch (e) {
          print(`refused ${e.payload}`);
        }
        break;
      }
      case 'no-files':
        print(`preopens ${getDirectories().length}`);
        break;
      case 'stdin':
        print(`stdin ${readAll(getStdin()).toUpperCase()}`);
        break;
      case 'host':
        print(`clock ${now().seconds > 1.6e9}`);
        print(`random ${getRandomBytes(16).length}`);
        getStderr().blockingWriteAndFlush(bytes('to stderr\n'));
        break;
      case 'sleep': {
        // Pollables: block on one, then poll a list of them (both ready by then).
        const start = monotonicNow();
        const timer = subscribeDuration(20e6);
        timer.block();
        print(`ready ${timer.ready()}`);
        print(`waited ${monotonicNow() - start >= 20e6}`);
        print(`poll ${JSON.stringify([...poll([subscribeDuration(0), timer])])}`);
        break;
      }
      case 'exit-ok':
        exit({ tag: 'ok' });
        break;
      case 'exit-err':
        exit({ tag: 'err' });
        break;
      case 'fail':
        throw 'run returns err';
    }
    print('done');
  },
};
