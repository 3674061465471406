// Running a command component: one that exports `wasi:cli/run` (WASI 0.2: `run: func()
// -> result`; WASI 0.3: `run: async func() -> result`). It gets WASI 0.2 imports, WASI 0.3
// ones, or both, as its imports ask. The result is an exit code, as a process's would be:
// ok -> 0, err -> 1, and whatever code the guest passed to wasi:cli/exit.
import { Component } from '../component.mjs';
import { ComponentError } from '../errors.mjs';
import { exitCodeOf } from './exit.mjs';
import { wasiImports } from './preview2.mjs';
import { wasiP3Imports } from './preview3.mjs';

const RUN = /^wasi:cli\/run@0\.[23]\.\d+(-.*)?$/;

/**
 * Compiles (if needed) and instantiates a command component with WASI imports made from
 * `options` (see wasiImports; `imports` adds or replaces interfaces), runs its
 * `wasi:cli/run`, and resolves to the exit code. Traps and link errors reject.
 */
export async function runCommand(source, { imports = {}, ...options } = {}) {
  const component = source instanceof Component ? source : await Component.compile(source);
  const runName = commandExport(component);
  if (!runName) {
    throw new TypeError('the component is not a command: it does not export `wasi:cli/run` (0.2 or 0.3); call its exports with instantiate() instead');
  }
  try {
    const { exports } = await component.instantiate({ ...(await wasiImportsFor(component, options)), ...imports });
    await exports[runName].run();
    return 0;
  } catch (e) {
    const code = exitCodeOf(e);
    if (code !== undefined) return code;
    if (e instanceof ComponentError) return 1;  // run returned err
    throw e;
  }
}

/**
 * The WASI imports `component` asks for: WASI 0.2 (wasiImports), WASI 0.3
 * (wasiP3Imports, which loads its shim), or both.
 */
export async function wasiImportsFor(component, options) {
  const names = [...component.plan.imports.map((i) => i.name), commandExport(component) ?? ''];
  const p3 = names.some((name) => /^wasi:[^@]+@0\.3\./.test(name));
  const p2 = names.some((name) => /^wasi:[^@]+@0\.2\./.test(name)) || !p3;
  // stdin/stdout/stderr streams serve WASI 0.3's stdio; a component importing both
  // versions (a toolchain's WASI 0.2 adapter beside WASI 0.3) keeps the process's for 0.2.
  // Its WASI 0.2 filesystem gets the host directories alone: a MemoryDirectory is 0.3's.
  const { stdin, stdout, stderr, ...p2Options } = options;
  if (p3 && options.preopens) {
    p2Options.preopens = Object.fromEntries(Object.entries(options.preopens).filter(([, dir]) => typeof dir === 'string'));
  }
  return { ...(p2 ? wasiImports(p3 ? p2Options : options) : {}), ...(p3 ? await wasiP3Imports(options) : {}) };
}

/** The name of the component's `wasi:cli/run` export, or undefined. */
export function commandExport(component) {
  return component.plan.exports.map((e) => e.name).find((name) => RUN.test(name));
}
