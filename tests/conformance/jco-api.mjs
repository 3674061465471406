// Our public API shape (Component.compile / component.instantiate / instance.exports)
// on top of jco's ahead-of-time transpiler: the peer baseline for the WAST run, and a
// check that the harness reads real results correctly.
//   CM_WAST_API=jco node --test tests/conformance/
// Not part of the product. jco needs JSPI for async exports; Node 20 has none, so a
// stand-in `WebAssembly.promising` is installed (enough for the callback ABI only).

import { transpile } from '@bytecodealliance/jco';

WebAssembly.promising ??= (f) => async (...args) => f(...args);

let counter = 0;

export const Component = {
  async compile(bytes) {
    let out;
    try {
      out = await transpile(bytes, {
        name: 'component',
        instantiation: 'async',
        noTypescript: true,
        quiet: true,
        base64Cutoff: 0,
        optimize: false,
      });
    } catch (e) {
      throw new WebAssembly.CompileError(String(e?.message ?? e));
    }
    // In instantiation mode the generated module imports nothing, so it loads from a
    // data: URL (the counter keeps identical sources from sharing one module record).
    const js = new TextDecoder().decode(out.files['component.js']);
    const url = `data:text/javascript;base64,${Buffer.from(`${js}\n//${counter++}`).toString('base64')}`;
    const mod = await import(url);
    return {
      async instantiate(imports = {}) {
        const exports = await mod.instantiate((file) => WebAssembly.compile(out.files[file]), imports);
        return { exports };
      },
    };
  },
};
