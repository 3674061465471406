// Type declarations for cmbridge/wasi (js/wasi/index.mjs).
import type { Component, ComponentSource, Imports } from '../index.js';

/** What the WASI providers take. Everything is off unless given. */
export interface WasiOptions {
  /** wasi:cli/environment get-arguments; a command line passes the program name first. Default []. */
  args?: string[];
  /** The environment variables the component sees. Default: none (not the host's). */
  env?: Record<string, string>;
  /** Directories the component may open: guest path -> host path. Default: none. */
  preopens?: Record<string, string>;
  /** wasi:sockets and outgoing wasi:http. Default false. */
  network?: boolean;
}

/** The version the keys of wasiImports() carry ('0.2.12'); every 0.2.x import links to them. */
export const WASI_P2_VERSION: string;

/**
 * The imports object for a component that imports WASI 0.2 interfaces, from
 * @bytecodealliance/preview2-shim: `instantiate(bytes, wasiImports({ args, env, preopens }))`.
 * Keys are versioned interface names ('wasi:cli/stdout@0.2.12'). wasi:cli/exit throws a
 * WasiExit (the trap's `cause`) instead of ending the process.
 */
export function wasiImports(options?: WasiOptions): Imports;

/** The version the keys of wasiP3Imports() carry ('0.3.0'). */
export const WASI_P3_VERSION: string;

/**
 * The imports object for a component that imports WASI 0.3 interfaces, from
 * @bytecodealliance/preview3-shim (an optional peer dependency, loaded on the first call).
 * The shim keeps one set of preopened directories per process: `preopens` replaces it.
 * `network: true` is refused (not offered for WASI 0.3).
 */
export function wasiP3Imports(options?: WasiOptions): Promise<Imports>;

/**
 * Instantiates a command component (one exporting wasi:cli/run) with WASI imports made
 * from `options` (`imports` adds or replaces interfaces), runs it, and resolves to its exit
 * code: 0 for ok, 1 for err, or the code given to wasi:cli/exit. Traps reject. A component
 * that imports WASI 0.3 (or exports wasi:cli/run@0.3.x) gets wasiP3Imports() too.
 */
export function runCommand(source: ComponentSource | Component, options?: WasiOptions & { imports?: Imports }): Promise<number>;

/** Thrown by wasi:cli/exit; reaches callers as the `cause` of the ComponentTrap. */
export class WasiExit extends Error {
  constructor(code: number);
  readonly code: number;
}
