// Error types. We use the platform's WebAssembly error classes so that code written for
// core wasm (and for jco) recognises our errors: an invalid binary is a CompileError, a
// bad import a LinkError, a trap a RuntimeError. ComponentTrap adds nothing but a name
// that says where it came from.

export class ComponentTrap extends WebAssembly.RuntimeError {
  constructor(message, options) {
    super(message, options);
    this.name = 'ComponentTrap';
    lastTrap = this;
    trapsMade++;
  }
}

// The traps made so far, and the latest. A guest stack under WebAssembly.promising that
// traps gives its error only to its Promise, a microtask later; when the trap was one the
// bridge or the engine raised (a rule the guest broke, not a wasm instruction's trap),
// the driver can tell it at once (async/driver.mjs runStack).
let lastTrap = null;
let trapsMade = 0;

/** A mark to pass to trapMadeSince. */
export const trapMark = () => trapsMade;

/** The latest ComponentTrap made since `mark`, or null if none was. */
export const trapMadeSince = (mark) => (trapsMade !== mark ? lastTrap : null);

export function trap(message) {
  throw new ComponentTrap(message);
}

/**
 * The error for a guest that failed inside one of the functions the host calls on its
 * behalf (its realloc, its post-return): a ComponentTrap that names the function and the
 * call, with the original error as its cause. A host's own exception (a JS error thrown
 * by an import the guest called from there) passes through unchanged.
 */
export function trapInside(where, call, error) {
  if (!(error instanceof WebAssembly.RuntimeError)) return error;
  const reason = error.message.replace(/^wasm trap: /, '');
  return new ComponentTrap(`the guest trapped inside ${where} (${call}): ${reason}`, { cause: error });
}

/** A host function's or guest's `result` error: thrown to JS with the E payload. */
export class ComponentError extends Error {
  constructor(payload) {
    super(describePayload(payload));
    this.name = 'ComponentError';
    this.payload = payload;
  }
}

function describePayload(payload) {
  if (payload === undefined) return 'component returned an error';
  if (typeof payload === 'string') return payload;
  try {
    return `component returned an error: ${JSON.stringify(payload, (k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`;
  } catch {
    return 'component returned an error';
  }
}

/**
 * An error-context value: a component's description of an error, with its debug message.
 * Passed to a component, any Error (or a string) becomes one.
 */
export class ErrorContext extends Error {
  constructor(message) {
    super(message);
    this.name = 'ErrorContext';
  }
}
