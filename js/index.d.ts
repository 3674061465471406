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

/**
 * `E`: the type of its exports; `cmbridge types component.wasm -o dir/` writes one
 * (`Exports`) for a given component.
 */
export interface ComponentInstance<E extends object = Exports> {
  readonly exports: E;
  /**
   * A snapshot of the instantiation's live async state (tasks, their threads, subtasks,
   * waitable sets, stream and future ends), for debugging and drawing. A new object each
   * call; taking it changes nothing.
   */
  taskTree(): TaskTree;
}

/** What instance.taskTree() returns. Ids are the engine's; `handle` indexes an instance's table. */
export interface TaskTree {
  instances: TaskTreeInstance[];
  tasks: TaskTreeTask[];
  subtasks: TaskTreeSubtask[];
}

export interface TaskTreeInstance {
  id: number;
  /** The enclosing component instance (for components instantiated inside others). */
  parent: number | null;
  /** backpressure.inc/dec's counter. */
  backpressure: number;
  /** Calls waiting at the backpressure gate. */
  waitingToEnter: number;
  /** The thread holding the instance's lock (sync and callback-lifted code), or null. */
  lockedBy: number | null;
  waitableSets: TaskTreeWaitableSet[];
  streams: TaskTreeCopyEnd[];
  futures: TaskTreeCopyEnd[];
}

export type TaskTreeEvent = 'subtask' | 'stream-read' | 'stream-write' | 'future-read' | 'future-write';

export interface TaskTreeWaitableSet {
  handle: number;
  /** The members' handles, oldest first. */
  members: Array<number | null>;
  /** Threads blocked on the set. */
  waiting: number;
  /** Members with an event ready to be delivered. */
  pendingEvents: Array<{ handle: number | null; event: TaskTreeEvent }>;
}

export interface TaskTreeCopyEnd {
  handle: number;
  end: 'readable' | 'writable';
  state: 'idle' | 'copying' | 'cancelling-copy' | 'done';
  /** Elements moved from the writable end to the readable one so far (both ends show it). */
  elementsMoved: number;
  otherEndDropped: boolean;
  /** The copy in flight: elements done so far out of its buffer's length. */
  copy: { progress: number; length: number } | null;
  pendingEvent: TaskTreeEvent | null;
  /** The waitable set it is in (a handle), or null. */
  set: number | null;
}

export interface TaskTreeTask {
  id: number;
  instance: number | null;
  /** The JS name of the export the host called, or null for calls between components. */
  export: string | null;
  lift: 'sync' | 'async-callback' | 'async-stackful';
  /** Whether the function type is `async`. */
  asyncType: boolean;
  state: 'initial' | 'started' | 'pending-cancel' | 'cancel-delivered' | 'resolved';
  outcome: 'returned' | 'cancelled' | null;
  /** The subtask id of the guest call that made this task, or null when the host called. */
  callerSubtask: number | null;
  threads: TaskTreeThread[];
}

export interface TaskTreeThread {
  id: number;
  /** thread.index's value (0 before the thread is registered). */
  index: number;
  implicit: boolean;
  state: 'running' | 'waiting' | 'suspended';
  /** Whether a cancellation may be delivered where it waits. */
  cancellable: boolean;
  waitingFor: {
    kind: 'enter-gate' | 'callback-yield' | 'callback-wait' | 'waitable-set-wait' | 'yield' |
      'sync-lower' | 'subtask-cancel' | 'host' | 'none';
    /** callback-wait / waitable-set-wait: the set's handle. */
    waitableSet?: number | null;
    /** sync-lower / subtask-cancel: the subtask's id. */
    subtask?: number;
  } | null;
}

export interface TaskTreeSubtask {
  id: number;
  state: 'starting' | 'started' | 'returned' | 'cancelled-before-started' | 'cancelled-before-returned';
  /** Where its handle is (an async lower that did not finish at once), else null. */
  instance: number | null;
  handle: number | null;
  /** The callee's task, or null for a host function (or once the callee is gone). */
  calleeTask: number | null;
  pendingEvent: boolean;
}

/**
 * A compiled component. `E` and `I` type its exports and imports object; the .d.ts that
 * `cmbridge types component.wasm -o dir/` writes declares both (`Exports`, `Imports`) and
 * `Component` as this class typed with them:
 *   const c = await Component.compile<Exports, Imports>(bytes);
 */
export class Component<E extends object = Exports, I extends object = Imports> {
  private constructor();
  /**
   * Compiles a component binary. Rejects with a WebAssembly.CompileError naming the byte
   * offset and the rule when the binary is malformed or invalid.
   */
  static compile<E extends object = Exports, I extends object = Imports>(
    source: ComponentSource | Promise<ComponentSource>): Promise<Component<E, I>>;
  /**
   * Instantiates the component. Rejects with a WebAssembly.LinkError naming a missing or
   * mistyped import, or an import that differs from `options.wit`.
   */
  instantiate(imports?: I, options?: InstantiateOptions): Promise<ComponentInstance<E>>;
  /** The instantiation plan the engine made (for tools and tests). */
  readonly plan: unknown;
  /**
   * The component's imports and exports as WIT text: a `world` of `import`/`export`
   * items, then a `package` block per package of the interfaces it names, with their
   * type definitions. Printed by the engine from the binary's types.
   */
  wit(): string;
}

/** Compiles (unless given a Component) and instantiates in one step. */
export function instantiate<E extends object = Exports, I extends object = Imports>(
  source: ComponentSource | Component<E, I>, imports?: I, options?: InstantiateOptions): Promise<ComponentInstance<E>>;

/** What instantiate() takes after the imports. */
export interface InstantiateOptions {
  /**
   * WIT text declaring the imports the host provides, e.g.
   * `'world host { import log: func(msg: string); }'` (interfaces it imports may be
   * defined in the same text, also in `package ns:pkg { ... }` blocks). Every function the
   * component imports must be declared with the same type (sync or async, parameter names
   * and types, result); otherwise instantiation rejects with a WebAssembly.LinkError naming
   * the first difference. Text that does not parse is a SyntaxError giving line:column.
   */
  wit?: string;
  /** Which world of `wit` declares the imports, when it has more than one. */
  world?: string;
}

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

/**
 * Exports shaped `(stream<T>) -> stream<U>` also carry `asTransform()`: a TransformStream-like
 * pair for `ReadableStream.prototype.pipeThrough`.
 */
export interface StreamTransformExport {
  (input: ReadableStream | AsyncIterable<unknown> | Iterable<unknown>): Promise<ReadableStream>;
  asTransform(): { writable: WritableStream; readable: ReadableStream };
}
