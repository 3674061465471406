// Whether this realm lets JS be made from strings (`new Function`). Pages whose
// Content-Security-Policy has no 'unsafe-eval' (a common production policy: `script-src
// 'self' 'wasm-unsafe-eval'`) forbid it. Two things then take a path without it: the
// engine's glue (js/engine/engine-strict.mjs, whose embind invokers are closures) and the
// per-signature fast path of scalar exports (runtime/scalar-trampoline.mjs).
//
// Finding out costs one attempt, which such a page reports as a CSP violation (console,
// report-uri). configureEngine({ codegen: false }) says so up front and spares it.

let allowed;

/** Whether `new Function` works here (probed once, unless configured). */
export function codegenAllowed() {
  if (allowed === undefined) {
    try {
      allowed = new Function('return true')() === true;  // eslint-disable-line no-new-func
    } catch {
      allowed = false;
    }
  }
  return allowed;
}

/** Tells cmbridge not to make code from strings (configureEngine's `codegen: false`). */
export function disableCodegen() {
  allowed = false;
}
