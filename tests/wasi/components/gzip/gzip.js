// The `gzip` world (worlds.wit): `gzip(input)` returns at once the stream of the gzip of
// what it reads from `input`, compressed as it arrives (fflate's streaming Gzip, the npm
// package, inside QuickJS; componentize-qjs resolves the bare import under the module
// root). Each chunk of output is written before more input is read: the reader of the
// output paces the reads of the input (backpressure).
import { Gzip } from 'fflate';

export async function gzip(input) {
  const { readable, writable } = wit.Stream(wit.Stream.U8);
  (async () => {
    const out = [];
    const gz = new Gzip((chunk) => out.push(chunk));
    const flush = async () => {
      while (out.length > 0) await writable.writeAll(out.shift());
    };
    try {
      for await (const chunk of input) {
        gz.push(chunk, false);
        await flush();
      }
      gz.push(new Uint8Array(0), true);
      await flush();
    } finally {
      writable.drop();
    }
  })();
  return readable;
}
