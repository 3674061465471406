// The bundled example components (web-demo/components/*.wat, built to .wasm by
// `node scripts/build.mjs examples`), with argument texts to start the call forms with.
export const EXAMPLES = [
  {
    file: 'hello.wasm',
    summary: 'numbers, strings and lists; greet() logs through the host',
    presets: { add: ['2', '40'], greet: ['"web"'], sum: ['[1.5, 2.25, 3]'], reverse: ['[1, 2, 3]'] },
  },
  {
    file: 'values.wasm',
    summary: 'records, variants, enums, flags, options, results, tuples, u64; a trap',
    presets: {
      area: ['rect({width: 3, height: 4})'],
      checkedDiv: ['7', '2'],
      uncheckedDiv: ['7', '0'],
      findUser: ['1'],
      grant: ['{read}', '{write, admin}'],
      minMax: ['[3, -5, 9, 2]'],
      splitWords: ['"the component model"'],
      fib: ['90'],
    },
  },
  {
    file: 'rot13.wasm',
    summary: 'async: stream<u8> transforms with backpressure, a call that awaits the host',
    presets: { rot13: ['"Hello, streams!"'], upper: ['"quiet, please"'], countdown: ['5', '400'] },
  },
];

export const EXAMPLES_URL = new URL('components/', import.meta.url);
