// MemoryDirectory: a directory tree in memory that the embedder builds, gives a WASI 0.3
// component as a preopen (`preopens: { '/data': dir }`), and reads back afterwards. It is
// how a page gives a component files (a page has no filesystem of its own); Node may use
// it too, to keep a component off the disk.
//
//   const dir = new MemoryDirectory({ 'in.txt': 'text', sub: { 'a.bin': bytes } });
//   const dir = await MemoryDirectory.from({ 'photo.jpg': file });  // Blobs and Files too
//   ... run the component ...
//   dir.readFile('out.txt')   // Uint8Array, or undefined when there is none
//   dir.toObject()            // { 'in.txt': Uint8Array, sub: { ... } }
import { FsError } from './fs-error.mjs';
import { DirNode, FileNode, SymlinkNode, isEntryName, walk } from './memory-tree.mjs';
import { MemoryDescriptor } from './memory-descriptor.mjs';

const encoder = new TextEncoder();
const isBlob = (v) => typeof Blob === 'function' && v instanceof Blob;

export class MemoryDirectory {
  #root = new DirNode();

  /**
   * `tree`: `{ name: contents }`, where contents is a string (written as UTF-8), bytes
   * (a Uint8Array, another TypedArray, a DataView or an ArrayBuffer: copied) or an object
   * (a subdirectory, the same shape). Blobs and Files need `await MemoryDirectory.from()`.
   */
  constructor(tree = {}) {
    fill(this.#root, tree, '');
  }

  /** As the constructor, and Blobs and Files (a `<input type=file>`'s, a drop's) are read. */
  static async from(tree = {}) {
    return new MemoryDirectory(await readBlobs(tree, ''));
  }

  /** The contents of the file at `path` (relative, `/`-separated), a copy; undefined if there is none. */
  readFile(path) {
    const node = this.#find(path);
    if (node === undefined) return undefined;
    if (!(node instanceof FileNode)) throw new TypeError(`${path} is a ${node.kind}, not a file`);
    return node.contents();
  }

  /** The file at `path` as UTF-8 text; undefined if there is none. */
  readText(path) {
    const bytes = this.readFile(path);
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
  }

  /** Writes (or replaces) the file at `path`; its directory must exist. */
  writeFile(path, contents) {
    const { parent, name, node } = this.#walk(path);
    if (name === null || node instanceof DirNode) throw new TypeError(`${path} is a directory`);
    parent.entries.set(name, new FileNode(bytesOf(contents, path)));
    parent.touch();
  }

  /** The names in the directory at `path` ('' for this one), in the order they were made. */
  list(path = '') {
    const node = path === '' ? this.#root : this.#find(path);
    if (!(node instanceof DirNode)) throw new TypeError(`${path} is not a directory`);
    return [...node.entries.keys()];
  }

  /** The whole tree: files as Uint8Arrays, directories as objects, symlinks as `{ symlink: target }` objects of class MemorySymlink. */
  toObject() {
    return snapshot(this.#root);
  }

  /** The descriptor a guest gets for this directory (preopens.mjs). */
  descriptor() {
    return new MemoryDescriptor(this.#root, { read: true, mutateDirectory: true });
  }

  #walk(path) {
    if (typeof path !== 'string') throw new TypeError('a path is a string');
    try {
      return walk(this.#root, path, true);
    } catch (e) {
      if (e instanceof FsError) throw new TypeError(`${path}: ${e.message}`);
      throw e;
    }
  }

  #find(path) {
    try {
      return this.#walk(path).node;
    } catch (e) {
      if (/no-entry/.test(e.message)) return undefined;
      throw e;
    }
  }
}

/** A symlink in MemoryDirectory.toObject()'s answer. */
export class MemorySymlink {
  constructor(target) {
    this.symlink = target;
  }
}

function fill(dir, tree, at) {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) {
    throw new TypeError(`MemoryDirectory: ${at || 'the tree'} must be an object of names`);
  }
  for (const [name, value] of Object.entries(tree)) {
    const path = at ? `${at}/${name}` : name;
    if (!isEntryName(name)) throw new TypeError(`MemoryDirectory: \`${path}\` is not a file name`);
    if (value instanceof MemorySymlink) {
      dir.entries.set(name, new SymlinkNode(value.symlink));
    } else if (isPlainObject(value)) {
      const sub = new DirNode();
      dir.entries.set(name, sub);
      fill(sub, value, path);
    } else {
      dir.entries.set(name, new FileNode(bytesOf(value, path)));
    }
  }
}

function bytesOf(value, path) {
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  if (isBlob(value)) throw new TypeError(`MemoryDirectory: \`${path}\` is a Blob: use await MemoryDirectory.from(tree), which reads it`);
  throw new TypeError(`MemoryDirectory: \`${path}\` must be a string, bytes or an object of entries`);
}

function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

async function readBlobs(tree, at) {
  if (!isPlainObject(tree)) return tree;
  const out = {};
  for (const [name, value] of Object.entries(tree)) {
    const path = at ? `${at}/${name}` : name;
    out[name] = isBlob(value) ? new Uint8Array(await value.arrayBuffer()) : await readBlobs(value, path);
  }
  return out;
}

function snapshot(dir) {
  const out = {};
  for (const [name, node] of dir.entries) {
    out[name] = node instanceof DirNode ? snapshot(node) : node instanceof SymlinkNode ? new MemorySymlink(node.target) : node.contents();
  }
  return out;
}
