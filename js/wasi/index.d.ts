// Type declarations for cmbridge/wasi (js/wasi/index.mjs).
import type { Component, ComponentSource, Imports } from '../index.js';

/** What the WASI providers take. Everything is off unless given. */
export interface WasiOptions {
  /** wasi:cli/environment get-arguments; a command line passes the program name first. Default []. */
  args?: string[];
  /** The environment variables the component sees. Default: none (not the host's). */
  env?: Record<string, string>;
  /**
   * Directories the component may open: guest path -> host path (Node), or a
   * MemoryDirectory (WASI 0.3 only; in a page the only kind). Per instance. Default: none.
   */
  preopens?: Record<string, string | MemoryDirectory>;
  /**
   * wasi:sockets (WASI 0.3, Node only) and outgoing wasi:http (WASI 0.3: over fetch()).
   * Default false: sockets fail with access-denied, requests with HTTP-request-denied.
   */
  network?: boolean;
  /** WASI 0.3 wasi:http: the fetch() requests go out through, and header names a guest may not set. */
  http?: { fetch?: typeof fetch; forbiddenHeaders?: string[] };
  /** WASI 0.3 stdin: read as the guest reads. Default: the process's in Node, empty in a page. */
  stdin?: ReadableStream<Uint8Array> | Uint8Array | string;
  /** WASI 0.3 stdout and stderr: written with their backpressure, never closed. Default: the process's, the console in a page. */
  stdout?: WritableStream<Uint8Array>;
  stderr?: WritableStream<Uint8Array>;
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
 * @bytecodealliance/preview3-shim (an optional peer dependency, loaded on the first call)
 * and our own wasi:http (requests go out through fetch() when `network` is true) and
 * wasi:filesystem descriptors (host directories through the shim, kept per instance;
 * MemoryDirectory preopens in memory).
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

/** The error a wasi:http host function throws: `payload` is the WIT error value (e.g. `{ tag: 'connection-refused' }`). */
export class HttpError extends Error {
  constructor(payload: unknown, message?: string, options?: ErrorOptions);
  readonly payload: unknown;
}

export interface ServeOptions extends WasiOptions {
  /** Imports to add to (or replace in) the WASI ones. */
  imports?: Imports;
  /** Options for instantiate(). */
  instantiate?: Record<string, unknown>;
  /** What made a request fail (a trap, an error-code the guest answered); default console.error. */
  onError?: (error: unknown, request: Request | null) => void;
  /** Milliseconds a handler may take to answer before its call is cancelled and the client gets 503. */
  requestTimeout?: number;
}

/**
 * A fetch handler for a component exporting wasi:http/handler (0.3): each request a task
 * of one shared instance (replaced after a trap). Rejects when the component is no service.
 */
export function serve(source: ComponentSource | Component, options?: ServeOptions): Promise<(request: Request) => Promise<Response>>;

/** On a Response from serve(): a Promise of its trailers (a Headers, or undefined), settled after its body. */
export const RESPONSE_TRAILERS: unique symbol;
/** On a Request given to serve(): a Promise of its trailers, which the guest then receives. */
export const REQUEST_TRAILERS: unique symbol;

/** A node:http request listener answering with `handler`: http.createServer(nodeListener(handler)). */
export function nodeListener(
  handler: (request: Request) => Promise<Response>,
  options?: { onError?: (error: unknown) => void },
  // (node:http's IncomingMessage and ServerResponse; declared loosely so that these types
  // need no @types/node)
): (req: object, res: object) => Promise<void>;


/** A file in a MemoryDirectory tree: text (UTF-8), bytes, or a subdirectory. */
export type MemoryTree = { [name: string]: string | ArrayBuffer | ArrayBufferView | MemorySymlink | MemoryTree };

/**
 * A directory tree in memory, given to a WASI 0.3 component as a preopen
 * (`preopens: { '/data': dir }`) and read back afterwards. Paths are relative and
 * `/`-separated; nothing a guest does reaches outside it.
 */
export class MemoryDirectory {
  constructor(tree?: MemoryTree);
  /** As the constructor; Blobs and Files in the tree are read first. */
  static from(tree?: { [name: string]: string | ArrayBuffer | ArrayBufferView | Blob | MemorySymlink | object }): Promise<MemoryDirectory>;
  /** A copy of the file's bytes, or undefined when there is none. */
  readFile(path: string): Uint8Array | undefined;
  readText(path: string): string | undefined;
  /** Writes or replaces a file; its directory must exist. */
  writeFile(path: string, contents: string | ArrayBuffer | ArrayBufferView): void;
  /** The names in a directory ('' for this one), in the order they were made. */
  list(path?: string): string[];
  /** The whole tree: files as Uint8Arrays, directories as objects, symlinks as MemorySymlinks. */
  toObject(): { [name: string]: Uint8Array | MemorySymlink | object };
}

/** A symlink in a MemoryDirectory tree (relative targets only: an absolute one is refused to the guest). */
export class MemorySymlink {
  constructor(target: string);
  readonly symlink: string;
}
