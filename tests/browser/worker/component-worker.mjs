// A module Worker that uses the package as a page would: it is given two components' bytes,
// compiles and instantiates them, calls `add`, `squares` and `future-of`, and posts the
// results back (with what failed, as name and message). Workers see no import
// maps: /js/index.mjs needs none.
import { Component } from '/js/index.mjs';

self.onmessage = async ({ data: { add, streams } }) => {
  let sum;
  try {
    const adder = await (await Component.compile(add)).instantiate();
    sum = adder.exports.add(40, 2);
    const { exports: s } = await (await Component.compile(streams)).instantiate();
    const squares = [];
    const reader = (await s.squares(4)).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      squares.push(value);
    }
    self.postMessage({ sum, squares, future: await s.futureOf(7) });
  } catch (e) {
    self.postMessage({ sum, error: `${e.name}: ${e.message}` });
  }
};
