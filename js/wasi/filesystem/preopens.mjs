// wasi:filesystem 0.3 for one set of WASI imports: the `descriptor` resource and the
// preopens, per instance.
//
// A guest sees one `descriptor` class, ours, whose objects forward to where the directory
// lives: a host directory (Node: the shim's descriptor, which does the I/O and keeps paths
// inside it) or a MemoryDirectory (memory-descriptor.mjs). One class because the bridge
// calls a resource's methods through the class the import names (an object of another
// class is refused), and a component may be given both kinds at once.
//
// Per instance: the shim keeps one process-wide list of preopens; we ask it for the
// descriptors of this instance's host directories and keep them, so that instances
// given different directories each see only their own (the shim's list is not read
// again).
import { FsError } from './fs-error.mjs';
import { MemoryDirectory } from './memory-directory.mjs';
import { DISPOSE } from '../../platform.mjs';

const impl = new WeakMap();  // Descriptor -> the shim's or a MemoryDescriptor

const wrap = (inner) => {
  const d = Object.create(Descriptor.prototype);
  impl.set(d, inner);
  return d;
};

function innerOf(d) {
  const inner = impl.get(d);
  if (inner === undefined) throw new FsError('bad-descriptor');
  return inner;
}

/** What a call gave, with any descriptor in it wrapped; a Promise stays one. */
const wrapped = (value) => (typeof value?.then === 'function' ? value.then(wrap) : wrap(value));

export class Descriptor {
  constructor() {
    throw new TypeError('descriptors come from wasi:filesystem/preopens and open-at');
  }

  readViaStream(offset) { return innerOf(this).readViaStream(offset); }
  writeViaStream(data, offset) { return innerOf(this).writeViaStream(data, offset); }
  appendViaStream(data) { return innerOf(this).appendViaStream(data); }
  advise(offset, length, advice) { return innerOf(this).advise(offset, length, advice); }
  syncData() { return innerOf(this).syncData(); }
  getFlags() { return innerOf(this).getFlags(); }
  getType() { return innerOf(this).getType(); }
  setSize(size) { return innerOf(this).setSize(size); }
  setTimes(accessed, modified) { return innerOf(this).setTimes(accessed, modified); }
  readDirectory() { return innerOf(this).readDirectory(); }
  sync() { return innerOf(this).sync(); }
  createDirectoryAt(path) { return innerOf(this).createDirectoryAt(path); }
  stat() { return innerOf(this).stat(); }
  statAt(pathFlags, path) { return innerOf(this).statAt(pathFlags, path); }
  setTimesAt(pathFlags, path, accessed, modified) { return innerOf(this).setTimesAt(pathFlags, path, accessed, modified); }
  linkAt(oldPathFlags, oldPath, to, newPath) { return innerOf(this).linkAt(oldPathFlags, oldPath, innerOf(to), newPath); }
  openAt(pathFlags, path, openFlags, flags) { return wrapped(innerOf(this).openAt(pathFlags, path, openFlags, flags)); }
  readlinkAt(path) { return innerOf(this).readlinkAt(path); }
  removeDirectoryAt(path) { return innerOf(this).removeDirectoryAt(path); }
  renameAt(oldPath, to, newPath) { return innerOf(this).renameAt(oldPath, innerOf(to), newPath); }
  symlinkAt(target, path) { return innerOf(this).symlinkAt(target, path); }
  unlinkFileAt(path) { return innerOf(this).unlinkFileAt(path); }
  isSameObject(other) { return innerOf(this).isSameObject(innerOf(other)); }
  metadataHash() { return innerOf(this).metadataHash(); }
  metadataHashAt(pathFlags, path) { return innerOf(this).metadataHashAt(pathFlags, path); }

  /** The guest dropped its handle: the shim closes a host file it holds (a preopen's has none). */
  [DISPOSE]() {
    const inner = impl.get(this);
    impl.delete(this);
    inner?.[DISPOSE]?.();
  }
}

/**
 * The wasi:filesystem interfaces for preopens `{ guestPath: hostPath | MemoryDirectory }`.
 * `loadShimFilesystem` gives the shim's `filesystem` namespace; it is called only when a
 * host directory is among them.
 */
export async function filesystemInterfaces(preopens, version, loadShimFilesystem) {
  const entries = Object.entries(preopens);
  const hostDirs = entries.filter(([, dir]) => typeof dir === 'string');
  const hostDescriptors = new Map();
  if (hostDirs.length > 0) {
    const filesystem = await loadShimFilesystem();
    filesystem._setPreopens(Object.fromEntries(hostDirs));
    for (const [descriptor, guestPath] of filesystem.preopens.getDirectories()) hostDescriptors.set(guestPath, descriptor);
  }
  const inners = entries.map(([guestPath, dir]) => [
    dir instanceof MemoryDirectory ? dir.descriptor() : hostDescriptors.get(guestPath),
    guestPath,
  ]);
  return {
    [`wasi:filesystem/types@${version}`]: { Descriptor },
    // New handles at each call: a guest that drops one may ask again.
    [`wasi:filesystem/preopens@${version}`]: { getDirectories: () => inners.map(([inner, guestPath]) => [wrap(inner), guestPath]) },
  };
}
