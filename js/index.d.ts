// Type declarations for the cmbridge package API (js/index.mjs).

/** Anything Component.compile accepts. */
export type ComponentSource =
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | Response
  | PromiseLike<Response>
  | URL
  | string;

/**
 * The host's imports, keyed as the component names them ('host-log', 'local:demo/host');
 * members may also be given in lowerCamelCase. Host resources are classes, keyed by the
 * resource's UpperCamelCase name.
 */
export type Imports = Record<string, unknown>;

/** A component's exports: functions, exported interfaces (objects), resource classes. */
export type Exports = Readonly<Record<string, any>>;

export interface ComponentInstance {
  readonly exports: Exports;
}

export class Component {
  private constructor();
  /**
   * Compiles a component binary. Rejects with a WebAssembly.CompileError naming the byte
   * offset and the rule when the binary is malformed or invalid.
   */
  static compile(source: ComponentSource | Promise<ComponentSource>): Promise<Component>;
  /**
   * Instantiates the component. Rejects with a WebAssembly.LinkError naming a missing or
   * mistyped import.
   */
  instantiate(imports?: Imports): Promise<ComponentInstance>;
  /** The instantiation plan the engine made (for tools and tests). */
  readonly plan: unknown;
}

/** Compiles (unless given a Component) and instantiates in one step. */
export function instantiate(source: ComponentSource | Component, imports?: Imports): Promise<ComponentInstance>;

/** A trap: the spec's reason in `message`. The instance refuses further calls. */
export class ComponentTrap extends WebAssembly.RuntimeError {}

/** An `err(e)` returned by a function whose result type is result<T, E>. */
export class ComponentError<E = unknown> extends Error {
  constructor(payload: E);
  readonly payload: E;
}

/** Supplies the engine's .wasm explicitly; call before the first compile. */
export function configureEngine(options: { wasm: Uint8Array | ArrayBuffer | URL | Response | string }): void;

/**
 * Rejects, with a ComponentTrap "deadlock detected: event loop cannot make further
 * progress", every pending call of an async export whose instance cannot make progress
 * without the host (no thread ready, no host Promise or stream pending, a task waiting),
 * and locks those instances down. Node does this by itself when its event loop runs
 * empty; in a browser, call it when the page will not call in again. Returns how many
 * instantiations were trapped.
 */
export function detectDeadlocks(): number;

/**
 * What an async export accepts after its arguments. Only a plain object with these keys
 * counts as options; anything else is an argument (and an arity error).
 */
export interface CallOptions {
  /** Cancels the call: it rejects with `signal.reason` once the guest acknowledges. */
  signal?: AbortSignal;
}
