// WASI 0.2 imports, from the Bytecode Alliance's shim (npm @bytecodealliance/preview2-shim).
//
// The shim is written for jco's value mapping, which is ours, so its interface objects
// plug in unchanged: functions by lowerCamelCase name, resources (streams, descriptors,
// pollables, errors) as classes under their UpperCamelCase name, result errors thrown.
// What this file adds: keys that carry a version (the linker matches any 0.2.x import to
// them, js/runtime/import-names.mjs), a sandbox by default (no files, no host environment,
// no network unless asked), and an `exit` that throws instead of ending the process.
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { checkWasiOptions } from './options.mjs';
import { exit } from './exit.mjs';
import { terminalInterfaces } from './terminals.mjs';
import { DISPOSE } from '../platform.mjs';

// The shims hand out one object per standard stream, every time a guest asks for it, and
// close it when the guest drops its handle: the browser build then refuses every later
// write, so a guest that drops stdout and asks again (QuickJS's runtime does on every
// print) loses its output. Dropping a handle to stdout must not close stdout (it does not
// in Wasmtime either), so these objects' dispose does nothing.
function keepOpen(stream) {
  if (stream && Object.getOwnPropertyDescriptor(stream, DISPOSE)?.value !== noDispose) {
    Object.defineProperty(stream, DISPOSE, { value: noDispose, configurable: true });
  }
  return stream;
}

function noDispose() {}

// A preopened directory is opened for reading and for changing what is in it (Wasmtime's
// `--dir` gives the same): the flags a guest gets from `descriptor.get-flags`. The Node
// shim answers `undefined` for a preopen (it keeps no open mode for one), which is no
// `descriptor-flags` value, and wasi-libc asks on every `open` under a preopen.
const PREOPEN_FLAGS = Object.freeze({ read: true, mutateDirectory: true });

// The shim's Descriptor class with `getFlags` answering PREOPEN_FLAGS where the shim has
// no answer. Its objects stay the shim's own (this class only lends them a method), so
// `instanceof` is delegated to the shim's class.
function withPreopenFlags(ShimDescriptor) {
  return class Descriptor extends ShimDescriptor {
    static [Symbol.hasInstance](value) {
      return value instanceof ShimDescriptor;
    }

    getFlags() {
      return super.getFlags() ?? { ...PREOPEN_FLAGS };
    }
  };
}

/** The version the keys carry; every 0.2.x import links to them. */
export const WASI_P2_VERSION = '0.2.12';

/**
 * The imports object for a component that imports WASI 0.2 interfaces:
 * `instantiate(bytes, wasiImports({ args, env, preopens }))`.
 */
export function wasiImports(options) {
  const { args, env, preopens, network, stdio } = checkWasiOptions(options);
  for (const [guestPath, dir] of Object.entries(preopens)) {
    if (typeof dir !== 'string') throw new TypeError(`WASI option \`preopens\`: \`${guestPath}\` is a MemoryDirectory, which WASI 0.3 components can use; this one imports WASI 0.2, which needs a host directory's path`);
  }
  if (Object.keys(stdio).length > 0) {
    throw new TypeError(`WASI options ${Object.keys(stdio).map((k) => `\`${k}\``).join(', ')} are for WASI 0.3 components; WASI 0.2's stdio is the process's (or the console in a page)`);
  }
  const shim = new WASIShim({ sandbox: { args, env, preopens, enableNetwork: network } });
  const imports = {};
  for (const [name, value] of Object.entries(shim.getImportObject({ asVersion: WASI_P2_VERSION }))) {
    if (value !== undefined) imports[name] = value;
  }
  imports[`wasi:cli/exit@${WASI_P2_VERSION}`] = exit;
  for (const [name, getter] of [['stdin', 'getStdin'], ['stdout', 'getStdout'], ['stderr', 'getStderr']]) {
    const key = `wasi:cli/${name}@${WASI_P2_VERSION}`;
    const base = imports[key];
    imports[key] = { ...base, [getter]: () => keepOpen(base[getter]()) };
  }
  const terminal = (name) => imports[`wasi:cli/terminal-${name}@${WASI_P2_VERSION}`];
  if (terminal('stdin') && terminal('stdout') && terminal('stderr')) {
    const terminals = terminalInterfaces({ terminalStdin: terminal('stdin'), terminalStdout: terminal('stdout'), terminalStderr: terminal('stderr') });
    for (const name of ['stdin', 'stdout', 'stderr']) imports[`wasi:cli/terminal-${name}@${WASI_P2_VERSION}`] = terminals[name];
  }
  const typesKey = `wasi:filesystem/types@${WASI_P2_VERSION}`;
  if (imports[typesKey]?.Descriptor) imports[typesKey] = { ...imports[typesKey], Descriptor: withPreopenFlags(imports[typesKey].Descriptor) };
  // The shim reports the host's working directory; a sandboxed guest has none (as in
  // Wasmtime): its relative paths resolve against its preopens.
  const environment = imports[`wasi:cli/environment@${WASI_P2_VERSION}`];
  imports[`wasi:cli/environment@${WASI_P2_VERSION}`] = { ...environment, initialCwd: () => undefined };
  return imports;
}
