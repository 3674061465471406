// The nodes of an in-memory directory tree and the path walk over them, shared by the
// embedder's MemoryDirectory (memory-directory.mjs) and the guest's descriptors
// (memory-descriptor.mjs).
//
// The walk keeps a guest inside the directory it starts from, as Wasmtime's cap-std does
// for a real directory: an absolute path, a `..` above the start and a symlink whose
// target is absolute or climbs above the start all fail with `not-permitted`.
import { FsError } from './fs-error.mjs';

const MAX_SYMLINK_HOPS = 40;  // Linux's limit; past it, `loop`
let nextInode = 1n;

/** Now as a wasi:clocks `instant` (seconds and nanoseconds since the epoch). */
export function nowInstant() {
  const ms = Date.now();
  return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1e6 };
}

class Node {
  constructor() {
    this.inode = nextInode++;
    const now = nowInstant();
    this.accessed = now;
    this.modified = now;
    this.changed = now;
    this.links = 1n;
  }

  touch() {
    this.modified = this.changed = nowInstant();
  }
}

export class FileNode extends Node {
  kind = 'regular-file';

  constructor(bytes = new Uint8Array(0)) {
    super();
    this.bytes = bytes;  // may be longer than the file: `size` is the length in use
    this.size = bytes.length;
  }

  /** The contents, a copy. */
  contents() {
    return this.bytes.slice(0, this.size);
  }

  resize(size) {
    if (size > this.bytes.length) {
      const grown = new Uint8Array(Math.max(size, this.bytes.length * 2, 64));
      grown.set(this.bytes.subarray(0, this.size));
      this.bytes = grown;
    } else if (size > this.size) {
      this.bytes.fill(0, this.size, size);  // a gap reads as zeros
    }
    this.size = size;
  }

  write(chunk, at) {
    if (at + chunk.length > this.size) this.resize(at + chunk.length);
    this.bytes.set(chunk, at);
    this.touch();
  }
}

export class DirNode extends Node {
  kind = 'directory';
  entries = new Map();  // name -> Node, in the order they were made
}

export class SymlinkNode extends Node {
  kind = 'symbolic-link';

  constructor(target) {
    super();
    this.target = target;
  }
}

/** Whether `name` may name an entry: not empty, no `/`, no NUL, not `.` or `..`. */
export function isEntryName(name) {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0');
}

/**
 * Walks `path` from directory `start`. Returns `{ parent, name, node }`: the directory the
 * last component is in, its name (null when the path ends in `.` or `..`, which name a
 * directory rather than an entry), and the node there (undefined if there is none).
 * `followLast`: whether a symlink in the last place is followed (a trailing `/` follows
 * it too, and makes anything but a directory `not-directory`).
 */
export function walk(start, path, followLast) {
  if (typeof path !== 'string') throw new FsError('invalid');
  if (path === '') throw new FsError('no-entry');
  if (path.includes('\0')) throw new FsError('illegal-byte-sequence');
  if (path.startsWith('/')) throw new FsError('not-permitted', `absolute path ${path}: paths are relative to a directory`);
  const stack = [start];
  const pending = path.split('/').reverse();  // popped from the end: the next component
  let mustBeDirectory = path.endsWith('/');
  let hops = 0;
  for (;;) {
    const segment = pending.pop();
    const last = pending.every((s) => s === '');
    const dir = stack[stack.length - 1];
    if (segment === '' || segment === '.') {
      if (last) return { parent: dir, name: null, node: dir };
      continue;
    }
    if (segment === '..') {
      if (stack.length === 1) throw new FsError('not-permitted', `${path} leads outside its directory`);
      stack.pop();
      if (last) return { parent: stack[stack.length - 1], name: null, node: stack[stack.length - 1] };
      continue;
    }
    const node = dir.entries.get(segment);
    if (last) {
      if (node instanceof SymlinkNode && (followLast || mustBeDirectory)) {
        expand(node);
        continue;
      }
      if (node && mustBeDirectory && !(node instanceof DirNode)) throw new FsError('not-directory');
      return { parent: dir, name: segment, node };
    }
    if (node === undefined) throw new FsError('no-entry');
    if (node instanceof SymlinkNode) {
      expand(node);
      continue;
    }
    if (!(node instanceof DirNode)) throw new FsError('not-directory');
    stack.push(node);
  }

  function expand(link) {
    if (++hops > MAX_SYMLINK_HOPS) throw new FsError('loop');
    if (link.target.startsWith('/')) throw new FsError('not-permitted', `symlink to the absolute path ${link.target}`);
    if (link.target.endsWith('/')) mustBeDirectory = true;
    pending.push(...link.target.split('/').reverse());
  }
}
