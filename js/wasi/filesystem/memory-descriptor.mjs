// wasi:filesystem 0.3's `descriptor` over an in-memory tree (memory-tree.mjs): what a
// guest gets for a MemoryDirectory preopen, in a page or in Node.
//
// Every call answers on the spot (a value or a throw, not a Promise), so an async import
// of it completes in the guest's own call, without a wait. Streams are the exception:
// read-via-stream and read-directory hand out ReadableStreams; write-via-stream reads the
// guest's stream as it comes.
//
// Permissions follow Wasmtime's: a file descriptor reads or writes only with the `read` or
// `write` flag it was opened with (else `bad-descriptor`); a directory's contents change
// only through a descriptor with `mutate-directory` (else `not-permitted`), and a
// descriptor opened from one has at most the rights of the one it came from.
import { FsError, codeOf, err, ok } from './fs-error.mjs';
import { DirNode, FileNode, SymlinkNode, isEntryName, nowInstant, walk } from './memory-tree.mjs';
import { byteStream } from '../../platform.mjs';

const CHUNK = 64 * 1024;

export class MemoryDescriptor {
  /** `node`: the file or directory; `flags`: wasi descriptor-flags ({ read, write, mutateDirectory, ... }). */
  constructor(node, flags) {
    this.node = node;
    this.flags = { ...flags };
  }

  // ---- files ---------------------------------------------------------------------------

  readViaStream(offset) {
    const file = this.node;
    let failure = null;
    if (file instanceof DirNode) failure = 'is-directory';
    else if (!this.flags.read) failure = 'bad-descriptor';
    if (failure) return [emptyStream(), Promise.resolve(err(failure))];
    let at = Number(offset);
    let finished;
    const done = new Promise((resolve) => { finished = resolve; });
    const stream = byteStream({
      pull(controller) {
        if (at >= file.size) {
          controller.close();
          finished(ok());
          return;
        }
        const end = Math.min(file.size, at + CHUNK);
        controller.enqueue(file.bytes.slice(at, end));
        at = end;
        file.accessed = nowInstant();
      },
      cancel() {
        finished(ok());
      },
    });
    return [stream, done];
  }

  writeViaStream(data, offset) {
    return this.#writeFrom(data, () => Number(offset), false);
  }

  appendViaStream(data) {
    return this.#writeFrom(data, () => this.node.size, true);
  }

  async #writeFrom(data, start, append) {
    const file = this.node;
    if (file instanceof DirNode) return cancelWith(data, 'is-directory');
    if (!this.flags.write) return cancelWith(data, 'bad-descriptor');
    let at = start();
    // A reader rather than `for await`: Safari's ReadableStream is not async-iterable.
    const reader = data.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return ok();
        if (append) at = file.size;
        file.write(value, at);  // copies: the chunk's buffer may be reused by the next read
        at += value.length;
      }
    } catch (e) {
      return { tag: 'err', val: codeOf(e) };
    } finally {
      reader.releaseLock();
    }
  }

  advise() {}

  syncData() {}

  sync() {}

  getFlags() {
    return { ...this.flags };
  }

  getType() {
    return { tag: this.node.kind };
  }

  setSize(size) {
    if (this.node instanceof DirNode) throw new FsError('is-directory');
    if (!this.flags.write) throw new FsError('bad-descriptor');
    this.node.resize(Number(size));
    this.node.touch();
  }

  setTimes(accessed, modified) {
    setTimesOf(this.node, accessed, modified);
  }

  stat() {
    return statOf(this.node);
  }

  isSameObject(other) {
    return other instanceof MemoryDescriptor && other.node === this.node;
  }

  metadataHash() {
    return hashOf(this.node);
  }

  // ---- directories ---------------------------------------------------------------------

  readDirectory() {
    const dir = this.node;
    if (!(dir instanceof DirNode)) return [emptyStream(), Promise.resolve(err('not-directory'))];
    if (!this.flags.read) return [emptyStream(), Promise.resolve(err('bad-descriptor'))];
    const entries = [...dir.entries].map(([name, node]) => ({ type: { tag: node.kind }, name }));
    dir.accessed = nowInstant();
    let finished;
    const done = new Promise((resolve) => { finished = resolve; });
    let next = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (next === entries.length) {
          controller.close();
          finished(ok());
          return;
        }
        controller.enqueue(entries[next++]);
      },
      cancel() {
        finished(ok());
      },
    }, { highWaterMark: 0 });
    return [stream, done];
  }

  createDirectoryAt(path) {
    const { parent, name, node } = this.#walk(path, false);
    if (node !== undefined) throw new FsError('exist');
    this.#mutate(parent, name).entries.set(name, new DirNode());
    parent.touch();
  }

  statAt(pathFlags, path) {
    return statOf(this.#existing(path, pathFlags.symlinkFollow));
  }

  setTimesAt(pathFlags, path, accessed, modified) {
    setTimesOf(this.#existing(path, pathFlags.symlinkFollow), accessed, modified);
  }

  metadataHashAt(pathFlags, path) {
    return hashOf(this.#existing(path, pathFlags.symlinkFollow));
  }

  openAt(pathFlags, path, openFlags, flags) {
    if (openFlags.create && openFlags.directory) throw new FsError('invalid');
    if ((flags.write || flags.mutateDirectory) && !this.flags.mutateDirectory) throw new FsError('not-permitted');
    const { parent, name, node: found } = this.#walk(path, pathFlags.symlinkFollow);
    let node = found;
    if (node === undefined) {
      if (!openFlags.create) throw new FsError('no-entry');
      node = new FileNode();
      this.#mutate(parent, name).entries.set(name, node);
      parent.touch();
    } else if (openFlags.create && openFlags.exclusive) {
      throw new FsError('exist');
    }
    if (node instanceof SymlinkNode) throw new FsError('loop');  // not followed: O_NOFOLLOW's ELOOP
    if (openFlags.directory && !(node instanceof DirNode)) throw new FsError('not-directory');
    if (node instanceof DirNode && (flags.write || openFlags.truncate)) throw new FsError('is-directory');
    if (openFlags.truncate) {
      if (!flags.write) throw new FsError('invalid');
      node.resize(0);
      node.touch();
    }
    return new MemoryDescriptor(node, {
      ...flags,
      mutateDirectory: !!flags.mutateDirectory && node instanceof DirNode,
    });
  }

  readlinkAt(path) {
    const node = this.#existing(path, false);
    if (!(node instanceof SymlinkNode)) throw new FsError('invalid');
    return node.target;
  }

  removeDirectoryAt(path) {
    const { parent, name, node } = this.#walk(path, false);
    if (node === undefined) throw new FsError('no-entry');
    if (name === null) throw new FsError('invalid');  // `.` or `..`
    if (!(node instanceof DirNode)) throw new FsError('not-directory');
    if (node.entries.size > 0) throw new FsError('not-empty');
    this.#mutate(parent, name).entries.delete(name);
    parent.touch();
  }

  unlinkFileAt(path) {
    const { parent, name, node } = this.#walk(path, false);
    if (node === undefined) throw new FsError('no-entry');
    if (node instanceof DirNode) throw new FsError('is-directory');
    if (path.endsWith('/')) throw new FsError('not-directory');
    this.#mutate(parent, name).entries.delete(name);
    node.links -= 1n;
    node.changed = nowInstant();
    parent.touch();
  }

  symlinkAt(target, path) {
    if (target.startsWith('/')) throw new FsError('not-permitted', `symlink to the absolute path ${target}`);
    const { parent, name, node } = this.#walk(path, false);
    if (node !== undefined) throw new FsError('exist');
    this.#mutate(parent, name).entries.set(name, new SymlinkNode(target));
    parent.touch();
  }

  linkAt(oldPathFlags, oldPath, newDescriptor, newPath) {
    const target = this.#existing(oldPath, oldPathFlags.symlinkFollow);
    if (target instanceof DirNode) throw new FsError('not-permitted');
    const to = other(newDescriptor);
    const { parent, name, node } = to.#walk(newPath, false);
    if (node !== undefined) throw new FsError('exist');
    to.#mutate(parent, name).entries.set(name, target);
    target.links += 1n;
    target.changed = nowInstant();
    parent.touch();
  }

  renameAt(oldPath, newDescriptor, newPath) {
    const from = this.#walk(oldPath, false);
    if (from.node === undefined) throw new FsError('no-entry');
    if (from.name === null) throw new FsError('busy');
    const to = other(newDescriptor);
    const dest = to.#walk(newPath, false);
    if (dest.name === null) throw new FsError('busy');
    if (from.node instanceof DirNode && contains(from.node, dest.parent)) throw new FsError('invalid');
    if (dest.node !== undefined && dest.node !== from.node) {
      if (from.node instanceof DirNode && !(dest.node instanceof DirNode)) throw new FsError('not-directory');
      if (!(from.node instanceof DirNode) && dest.node instanceof DirNode) throw new FsError('is-directory');
      if (dest.node instanceof DirNode && dest.node.entries.size > 0) throw new FsError('not-empty');
    }
    this.#mutate(from.parent, from.name);
    to.#mutate(dest.parent, dest.name);
    from.parent.entries.delete(from.name);
    dest.parent.entries.set(dest.name, from.node);
    from.node.changed = nowInstant();
    from.parent.touch();
    dest.parent.touch();
  }

  // ---- helpers -------------------------------------------------------------------------

  #walk(path, followLast) {
    if (!(this.node instanceof DirNode)) throw new FsError('not-directory');
    return walk(this.node, path, followLast);
  }

  #existing(path, followLast) {
    const { node } = this.#walk(path, followLast);
    if (node === undefined) throw new FsError('no-entry');
    return node;
  }

  /** The directory `parent`, checked for a change of entry `name` through this descriptor. */
  #mutate(parent, name) {
    if (!this.flags.mutateDirectory) throw new FsError('not-permitted');
    if (name === null || !isEntryName(name)) throw new FsError('exist');
    return parent;
  }
}

function other(descriptor) {
  // A descriptor of another kind (a host directory) is another device.
  if (!(descriptor instanceof MemoryDescriptor)) throw new FsError('cross-device');
  return descriptor;
}

function contains(dir, node) {
  if (dir === node) return true;
  for (const child of dir.entries.values()) {
    if (child instanceof DirNode && contains(child, node)) return true;
  }
  return false;
}

function statOf(node) {
  return {
    type: { tag: node.kind },
    linkCount: node.links,
    size: BigInt(node instanceof FileNode ? node.size : node instanceof SymlinkNode ? node.target.length : 0),
    dataAccessTimestamp: node.accessed,
    dataModificationTimestamp: node.modified,
    statusChangeTimestamp: node.changed,
  };
}

function setTimesOf(node, accessed, modified) {
  const now = nowInstant();
  const pick = (t, current) => (t.tag === 'no-change' ? current : t.tag === 'now' ? now : t.val);
  node.accessed = pick(accessed, node.accessed);
  node.modified = pick(modified, node.modified);
  node.changed = now;
}

function hashOf(node) {
  return { upper: node.inode, lower: 0x636d6272696467n };  // same node, same hash
}

function emptyStream() {
  return new ReadableStream({ start: (c) => c.close() });
}

async function cancelWith(data, code) {
  await data?.cancel?.().catch(() => {});
  return err(code);
}
