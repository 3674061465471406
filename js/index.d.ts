// Type declarations for the cmbridge package API (js/index.mjs).
//
// A component's types are known only once its binary is read, at run time, so `exports`
// is typed loosely (`Exports`) unless the caller names its shape:
//   const { exports } = await instantiate<MyExports>(bytes, imports);
// where MyExports is written with the helper types below (`AsyncExport`, `Case`, `Result`,
// `StreamSource`, ...), which spell out the value mapping of README.md "Values".
// The declarations use the platform's types (ReadableStream, AbortSignal, Response,
// WebAssembly): compile with "lib": ["es2022", "dom"] or a superset.

/** Anything Component.compile accepts; a string is a URL, or in Node a file path. */
export type ComponentSource =
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | Response
  | URL
  | string;

/**
 * The host's imports, keyed as the component names them ('host-log', 'local:demo/host');
 * members may also be given in lowerCamelCase. Host resources are classes, keyed by the
 * resource's UpperCamelCase name. A host function may return a Promise where the
 * component lowers it async; for a `result<T, E>` import it returns T and throws for err.
 */
export type Imports = Record<string, unknown>;

/**
 * A component's exports: functions (lowerCamelCase; the exact component name works too),
 * exported interfaces (objects, keyed by their full name) and resource classes
 * (UpperCamelCase). Loose by default; name the shape with instantiate<E>().
 */
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
  /**
   * Gives the instance's engine memory back now (without it, that happens when the
   * instance is garbage). The instance is then locked down: calls in flight reject, later
   * calls throw a ComponentTrap ("it was disposed"). A second call does nothing. The
   * instance also has [Symbol.dispose] (for `using`), not declared here so that projects
   * whose TypeScript lib lacks `esnext.disposable` still compile.
   */
  dispose(): void;
}

// ---- The value mapping, for naming an export's shape ------------------------------------

/**
 * A `variant` case: `{ tag: 'case-name', val }`, or `{ tag }` for a case without a
 * payload. Also `result<T, E>` where it is not a function's result, and `option<option<T>>`.
 */
export type Case<Tag extends string, Val = never> = [Val] extends [never] ? { tag: Tag } : { tag: Tag; val: Val };

/** `result<T, E>` as a value (a function's own result is T, and err(E) is thrown). */
export type Result<T, E> = Case<'ok', T> | Case<'err', E>;

/** `option<option<T>>` (a plain `option<T>` is `T | undefined`). */
export type NestedOption<T> = Case<'none'> | Case<'some', T | undefined>;

/**
 * What the host may pass where a component takes `stream<T>`: a ReadableStream, an async
 * or sync iterable (an Array; a TypedArray for numbers), read only as the component reads.
 * To write with a WritableStream, pass a TransformStream's `readable`.
 */
export type StreamSource<T> = ReadableStream<T> | AsyncIterable<T> | Iterable<T>;

/** What the host may pass for `stream<u8>`: byte chunks (or single bytes), or one buffer. */
export type ByteStreamSource = StreamSource<number> | StreamSource<ArrayBufferView> | ArrayBuffer;

/**
 * What a component's `stream<T>` is in JS: a ReadableStream of T's values. `stream<u8>` is
 * a byte stream (`ReadableStream<Uint8Array>`, `type: 'bytes'`, so BYOB readers work).
 */
export type ComponentStream<T> = ReadableStream<T>;

/** `future<T>` from a component is a Promise of T; to a component, any thenable. */
export type FutureSource<T> = PromiseLike<T>;

/**
 * What an async export accepts after its arguments. Only a plain object with these keys
 * counts as options; anything else is an argument (and an arity error).
 */
export interface CallOptions {
  /**
   * Cancels the call: one not started yet rejects at once with `signal.reason`, running no
   * guest code; a started one is delivered TASK_CANCELLED and rejects with `signal.reason`
   * once the guest acknowledges (or resolves, if the guest returns a value instead).
   */
  signal?: AbortSignal;
}

/**
 * An async export (an `async func`, or a function lifted async): it returns a Promise of
 * its result, rejected with a ComponentTrap on a trap, a ComponentError for err(E), or the
 * abort reason when cancelled through CallOptions.
 */
export interface AsyncExport<A extends unknown[], R> {
  (...args: A): Promise<R>;
  (...args: [...A, CallOptions]): Promise<R>;
}

/** What an export shaped `(stream<In>) -> stream<Out>` carries besides being callable. */
export interface StreamTransform<In, Out> {
  /**
   * A { writable, readable } pair for `source.pipeThrough(...)`: what is written goes to
   * the component as its argument stream; its result stream comes out of `readable`.
   */
  asTransform(): ReadableWritablePair<Out, In>;
}

/** An async export shaped `(stream<In>) -> stream<Out>` (In and Out are the chunk types). */
export type StreamTransformExport<In = unknown, Out = unknown> =
  AsyncExport<[StreamSource<In>], ReadableStream<Out>> & StreamTransform<In, Out>;

// ---- instance.taskTree() ----------------------------------------------------------------

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
      'sync-lower' | 'subtask-cancel' | 'host' | 'resume-later' | 'none';
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

// ---- The entry points --------------------------------------------------------------------

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
    source: ComponentSource | PromiseLike<ComponentSource>, options?: CompileOptions): Promise<Component<E, I>>;
  /**
   * Instantiates the component. Rejects with a WebAssembly.LinkError naming a missing or
   * mistyped import, or an import that differs from `options.wit`. `E` names the exports'
   * shape (unchecked: the caller vouches for it; `cmbridge types` writes it).
   */
  instantiate<E2 extends object = E>(imports?: I, options?: InstantiateOptions): Promise<ComponentInstance<E2>>;
  /** The instantiation plan the engine made (for tools and tests). */
  readonly plan: unknown;
  /**
   * The component's imports and exports as WIT text: a `world` of `import`/`export`
   * items, then a `package` block per package of the interfaces it names, with their
   * type definitions. Printed by the engine from the binary's types.
   */
  wit(): string;
  /** What the component imports, as data (before instantiating), as WebAssembly.Module.imports gives a module's. */
  imports(): ComponentItem[];
  /** What the component exports, as data, as WebAssembly.Module.exports gives a module's. */
  exports(): ComponentItem[];
}

/**
 * A type as data: `kind` is the component type's (`'u32'`, `'string'`, `'list'`,
 * `'record'`, `'variant'`, `'enum'`, `'flags'`, `'option'`, `'result'`, `'tuple'`, `'own'`,
 * `'borrow'`, `'stream'`, `'future'`, `'error-context'`...); the rest as the kind needs.
 */
export interface TypeDescription {
  kind: string;
  /** list, option (some), stream and future elements (null: a stream or future of nothing). */
  element?: TypeDescription | null;
  /** A fixed-size list's length. */
  length?: number;
  /** record and tuple fields, in order. */
  fields?: { name: string; type: TypeDescription | null }[];
  /** variant, enum, option and result cases, in order (type null: the case carries nothing). */
  cases?: { name: string; type: TypeDescription | null }[];
  /** flags' labels. */
  labels?: string[];
  /** own and borrow: the resource's id (a `resource` item's). */
  resource?: number;
}

/** A function type as data. */
export interface FunctionTypeDescription {
  async: boolean;
  params: { name: string; type: TypeDescription }[];
  result: TypeDescription | null;
}

/**
 * An import or export of a component (Component#imports(), #exports()). `name` is as the
 * component spells it; a resource's constructor, methods and statics are functions named
 * as in the component (`[method]blob.size`).
 */
export type ComponentItem =
  | { name: string; kind: 'function'; jsName: string; type: FunctionTypeDescription }
  | { name: string; kind: 'interface'; items: ComponentItem[] }
  | { name: string; kind: 'resource'; jsName: string; resource: number }
  | { name: string; kind: 'type'; type: TypeDescription };

/**
 * Compiles (unless given a Component) and instantiates in one step. `E` and `I` as for
 * Component (a typed Component's own are used by component.instantiate()).
 */
export function instantiate<E extends object = Exports, I extends object = Imports>(
  source: ComponentSource | PromiseLike<ComponentSource> | Component<any, any>,
  imports?: I,
  options?: InstantiateOptions & CompileOptions,
): Promise<ComponentInstance<E>>;

/** What Component.compile() takes after the source. */
export interface CompileOptions {
  /**
   * How a guest stack that must wait (a stackful async function in waitable-set.wait, a
   * synchronous call of an async function, a synchronous stream read, a cooperative thread)
   * is suspended. `'auto'` (default): JSPI (`WebAssembly.Suspending`) where the engine has
   * it, else Asyncify: the core modules that may wait are rewritten when the component is
   * compiled (the npm package `binaryen`, loaded only then). `'jspi'`: never rewrite;
   * without JSPI such a wait traps. `'asyncify'`: rewrite even where JSPI exists.
   */
  suspendWith?: 'auto' | 'jspi' | 'asyncify';
  /**
   * Told of each step, in order: `'download'` (bytes of the source so far, and its
   * content-length if a Response declared one: many events while a Response's body arrives,
   * then one with the whole), `'validated'` (the engine read the component: `total` core
   * modules to compile), `'modules'` (`loaded` of `total` compiled), `'done'`.
   */
  onProgress?: (event: CompileProgress) => void;
}

/** What Component.compile's onProgress is told. */
export interface CompileProgress {
  phase: 'download' | 'validated' | 'modules' | 'done';
  loaded: number;
  total: number | undefined;
}

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
  /**
   * Called with a trap that no call is waiting to hear of: guest code that traps after
   * its task returned (work after `task.return`, a thread it started). The instance is
   * locked down either way. Default: reported as an uncaught error (`reportError` in a
   * page, `console.error` in Node).
   */
  onTrap?: (error: ComponentTrap) => void;
  /**
   * Synchronous imports whose host functions may return a Promise, which the guest then
   * waits for (jco's JSPI mode): names as `ns:pkg/iface#func` (the version optional) or
   * `func` for a world-level import, or `true` for all. Every export of the instance then
   * returns a Promise. Needs JSPI (`WebAssembly.Suspending`); elsewhere instantiate()
   * rejects with a TypeError that says so.
   */
  suspendingImports?: readonly string[] | boolean;
  /**
   * How many bytes of strings and lists one lift (a call's arguments, a result, one
   * stream copy) may copy out of guest memory; past it, lifting traps. Guards against a
   * guest that points many list elements at one large string. Default 2^29 (512 MiB);
   * `Infinity` turns it off.
   */
  maxLiftedBytes?: number;
}

/**
 * Where the engine's own .wasm comes from when it is not next to js/engine-loader.mjs:
 * its bytes, a Response, or a URL (a string is resolved as Component.compile does).
 */
export type EngineSource = Uint8Array | ArrayBuffer | ArrayBufferView | Response | URL | string;

/**
 * Before the first compile (afterwards it throws). `wasm`: supplies the engine's .wasm
 * explicitly; a source that fails to load rejects that compile, and may then be replaced.
 * `codegen: false`: never make code from strings, as a page under a strict
 * Content-Security-Policy (no 'unsafe-eval') must not; without it, cmbridge finds out by
 * one attempt, which such a page reports as a violation.
 */
export function configureEngine(options: { wasm: EngineSource; codegen?: boolean } | { wasm?: EngineSource; codegen: boolean }): void;

/**
 * Rejects, with a ComponentTrap "deadlock detected: event loop cannot make further
 * progress", every pending call of an async export whose instance cannot make progress
 * without the host (no thread ready, no host Promise or stream pending, a task waiting),
 * and locks those instances down. Node does this by itself when its event loop runs
 * empty; in a browser, call it when the page will not call in again. Returns how many
 * instantiations were trapped.
 */
export function detectDeadlocks(): number;

// ---- Errors -----------------------------------------------------------------------------

/** A trap: the spec's reason in `message`. The instance refuses further calls. */
export class ComponentTrap extends WebAssembly.RuntimeError {
  constructor(message?: string, options?: ErrorOptions);
}

/** An `err(e)` returned by a function whose result type is result<T, E>; `payload` is e. */
export class ComponentError<E = unknown> extends Error {
  constructor(payload: E);
  readonly payload: E;
}

/**
 * An `error-context` value: a component's description of an error, with its debug message.
 * Passed to a component, any Error (or a string) becomes one.
 */
export class ErrorContext extends Error {
  constructor(message?: string);
}
