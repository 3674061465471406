// WASI 0.3 imports, from the Bytecode Alliance's shim for it (npm
// @bytecodealliance/preview3-shim, an optional peer dependency: loaded only when asked for,
// so this function is async).
//
// WASI 0.3 moves I/O onto the Component Model's own async: stdout is `write-via-stream:
// func(data: stream<u8>) -> future<result<_, error-code>>`, filesystem calls are async
// functions. The shim gives those as functions taking an async iterable and returning
// Promises, which our value mapping takes as they are (a stream<u8> from the guest is a
// ReadableStream, which is async-iterable; a Promise is a future to the guest).
// wasi:http (http/imports.mjs) and the monotonic clock's waits (monotonic-clock.mjs) are
// ours instead (docs/decisions.md section 13); wasi:sockets is the shim's in Node when the
// network is allowed and refuses every socket otherwise (sockets.mjs).
// wasi:filesystem's descriptor is ours (filesystem/preopens.mjs): host directories are the
// shim's descriptors underneath, kept per instance; a MemoryDirectory is ours throughout.
// Arguments, environment and preopens are per call, as in WASI 0.2.
import { checkWasiOptions } from './options.mjs';
import { exit } from './exit.mjs';
import { terminalInterfaces } from './terminals.mjs';
import { httpInterfaces } from './http/imports.mjs';
import { monotonicClock } from './monotonic-clock.mjs';
import { socketInterfaces } from './sockets.mjs';
import { filesystemInterfaces } from './filesystem/preopens.mjs';
import { outputTo, stdinFrom } from './p3-embedder-stdio.mjs';

/** The version the keys carry. */
export const WASI_P3_VERSION = '0.3.0';

let shim;

async function loadShim() {
  try {
    return (shim ??= await import('@bytecodealliance/preview3-shim'));
  } catch (e) {
    throw new Error('WASI 0.3 needs the npm package @bytecodealliance/preview3-shim (an optional peer dependency of cmbridge): npm install @bytecodealliance/preview3-shim@0.7.0', { cause: e });
  }
}

/** The imports object for a component that imports WASI 0.3 interfaces. */
export async function wasiP3Imports(options) {
  const { args, env, preopens, network, http, stdio: given } = checkWasiOptions(options);
  const { cli, clocks, random } = await loadShim();
  const v = `@${WASI_P3_VERSION}`;
  const terminals = terminalInterfaces(cli);
  // In Node, stdout and stderr are written from the main thread (p3-stdio.mjs).
  const stdio = globalThis.process?.versions?.node ? (await import('./p3-stdio.mjs')).nodeStdio(globalThis.process) : null;
  const imports = {
    [`wasi:cli/environment${v}`]: {
      getEnvironment: () => Object.entries(env),
      getArguments: () => [...args],
      getInitialCwd: () => undefined,
    },
    [`wasi:cli/exit${v}`]: exit,
    [`wasi:cli/stdin${v}`]: given.stdin !== undefined ? stdinFrom(given.stdin) : stdio ? cli.stdin : stdinFrom(''),
    [`wasi:cli/stdout${v}`]: given.stdout ? outputTo(given.stdout) : stdio?.stdout ?? cli.stdout,
    [`wasi:cli/stderr${v}`]: given.stderr ? outputTo(given.stderr) : stdio?.stderr ?? cli.stderr,
    [`wasi:cli/terminal-input${v}`]: cli.terminalInput,
    [`wasi:cli/terminal-output${v}`]: cli.terminalOutput,
    [`wasi:cli/terminal-stdin${v}`]: terminals.stdin,
    [`wasi:cli/terminal-stdout${v}`]: terminals.stdout,
    [`wasi:cli/terminal-stderr${v}`]: terminals.stderr,
    [`wasi:cli/types${v}`]: {},  // types only
    [`wasi:clocks/types${v}`]: {},
    [`wasi:clocks/monotonic-clock${v}`]: monotonicClock(clocks.monotonicClock),
    [`wasi:clocks/system-clock${v}`]: clocks.systemClock,
    [`wasi:random/random${v}`]: random.random,
    [`wasi:random/insecure${v}`]: random.insecure,
    [`wasi:random/insecure-seed${v}`]: random.insecureSeed,
    ...(await filesystemInterfaces(preopens, WASI_P3_VERSION, async () => (await loadShim()).filesystem)),
    ...httpInterfaces({ network, http }, WASI_P3_VERSION),
    ...(await socketInterfaces({ network }, WASI_P3_VERSION, async () => (await loadShim()).sockets)),
  };
  return imports;
}
