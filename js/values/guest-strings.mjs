// Strings passed from one guest to another. The spec fixes how a string moves between
// two components: the realloc calls the destination sees depend on the *source's*
// encoding and length (allocate for the source's code units, grow to the worst case,
// shrink, inflate Latin-1 in place...). So between guests a lifted string is not turned
// into a JS string: it stays a GuestString (the caller's bytes, encoding and tagged
// length), and lowering it runs the engine's store_string (abi/values/strings.cpp,
// checked byte-for-byte against the spec's reference), which reaches the destination
// memory and its realloc through the registry below.
import { callRealloc } from './memory.mjs';

const ENCODING_IDS = { utf8: 0, utf16: 1, 'latin1+utf16': 2 };
const UTF16_TAG = 2 ** 31;

export class GuestString {
  constructor(bytes, encoding, taggedCodeUnits) {
    this.bytes = bytes;              // a copy of the source's bytes
    this.encoding = encoding;        // the source's string-encoding
    this.taggedCodeUnits = taggedCodeUnits;
  }

  /** The text, for the rare case a GuestString reaches JS code. */
  toString() {
    if (this.encoding === 'utf8') return new TextDecoder().decode(this.bytes);
    if (this.encoding === 'utf16' || (this.taggedCodeUnits & UTF16_TAG)) return new TextDecoder('utf-16le').decode(this.bytes);
    return String.fromCharCode(...this.bytes);
  }
}

// The engine calls back into these (bridge/js_guest_memory.h) by memory id; an id names a
// lowering context (its memory, realloc and string encoding) for the duration of one store,
// or for good (the contexts of stream and future built-ins, js/runtime/async/).
export function guestMemoryRegistry(engine) {
  if (engine.guestMemories) return engine.guestMemories;
  const contexts = new Map();
  let nextId = 1;
  const mem = (id) => contexts.get(id).mem.refresh();
  engine.guestMemories = {
    open(ctx) {
      const id = nextId++;
      contexts.set(id, ctx);
      return id;
    },
    close(id) {
      contexts.delete(id);
    },
    size: (id) => mem(id).bytes.length,
    encoding: (id) => ENCODING_IDS[contexts.get(id).stringEncoding],
    read(id, ptr, dst, len) {
      engine.HEAPU8.set(mem(id).bytes.subarray(ptr, ptr + len), dst);
    },
    write(id, ptr, src, len) {
      mem(id).bytes.set(engine.HEAPU8.subarray(src, src + len), ptr);
    },
    // The guest's realloc with may_leave cleared; the engine checks the result itself
    // (the spec's "realloc return" traps), so the bounds given here never fail.
    realloc: (id, oldPtr, oldSize, align, newSize) => callRealloc(contexts.get(id), oldPtr, oldSize, align, newSize, 'string', false),
  };
  return engine.guestMemories;
}

/** Lowers a GuestString into ctx's memory and encoding; returns [ptr, taggedCodeUnits]. */
export function storeGuestString(ctx, s) {
  const engine = ctx.runtime.engine;
  const memories = guestMemoryRegistry(engine);
  const id = memories.open(ctx);
  const src = engine._malloc(Math.max(s.bytes.length, 1));
  try {
    engine.HEAPU8.set(s.bytes, src);
    const ptr = engine.storeGuestString(src, s.bytes.length, ENCODING_IDS[s.encoding], s.taggedCodeUnits,
      id, ENCODING_IDS[ctx.stringEncoding]);
    return [ptr >>> 0, engine.lastTaggedCodeUnits() >>> 0];
  } finally {
    engine._free(src);
    memories.close(id);
  }
}
