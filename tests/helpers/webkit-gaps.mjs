// Preloaded (`node --import`) to make Node lack what WebKit (Safari's engine) lacks, so
// that the package's fallbacks run in Node too (tests/js/webkit-gaps.test.mjs):
// - byte streams: no ReadableByteStreamController, and `new ReadableStream({ type:
//   'bytes' })` throws;
// - ReadableStreams that are async-iterable.
// (Symbol.dispose cannot be taken away here: Node 20 defines it non-configurable.)
const Native = globalThis.ReadableStream;
delete globalThis.ReadableByteStreamController;
const NoByteStreams = new Proxy(Native, {
  construct(target, args, newTarget) {
    if (args[0]?.type === 'bytes') throw new RangeError('this engine has no byte streams (WebKit-like test)');
    return Reflect.construct(target, args, newTarget === NoByteStreams ? target : newTarget);
  },
});
globalThis.ReadableStream = NoByteStreams;
delete Native.prototype[Symbol.asyncIterator];
delete Native.prototype.values;
