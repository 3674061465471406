// The bundled example components (web-demo/components/*.wat, and gzip from JS, built to
// .wasm by `node scripts/build.mjs examples`), with argument texts to start the call forms with.
const SHOWCASE = 'demo:values/showcase';

export const EXAMPLES = [
  {
    file: 'hello.wasm',
    summary: 'numbers, strings and lists; greet() logs through the host',
    presets: { add: ['2', '40'], greet: ['"web"'], sum: ['[1.5, 2.25, 3]'], reverse: ['[1, 2, 3]'] },
  },
  {
    file: 'values.wasm',
    summary: 'an interface with records, variants, enums, flags, options, results, tuples; a trap',
    presets: {
      [`${SHOWCASE}#area`]: ['rect({width: 3, height: 4})'],
      [`${SHOWCASE}#checkedDiv`]: ['7', '2'],
      [`${SHOWCASE}#uncheckedDiv`]: ['7', '2'],  // (with 0 it traps, and the instance is done)
      [`${SHOWCASE}#findUser`]: ['1'],
      [`${SHOWCASE}#grant`]: ['{read}', '{write, admin}'],
      [`${SHOWCASE}#minMax`]: ['[3, -5, 9, 2]'],
      [`${SHOWCASE}#splitWords`]: ['"the component model"'],
      [`${SHOWCASE}#fib`]: ['90'],
    },
  },
  {
    file: 'rot13.wasm',
    summary: 'async: stream<u8> transforms with backpressure, a call that awaits the host',
    presets: { rot13: ['"Hello, streams!"'], upper: ['"quiet, please"'], countdown: ['5', '400'] },
  },
  {
    // Built by a real toolchain: JS with the npm package fflate, made a component (QuickJS
    // inside) by componentize-qjs from tests/wasi/components/gzip/ at build time.
    file: 'gzip.wasm',
    summary: 'from a real toolchain (fflate in QuickJS, by componentize-qjs): gzip(stream<u8>) -> stream<u8>; pipe a file through it',
    presets: { gzip: ['"hello hello hello hello"'] },
  },
];

export const EXAMPLES_URL = new URL('components/', import.meta.url);
