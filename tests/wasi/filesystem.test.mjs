// wasi:filesystem 0.3 (js/wasi/filesystem/): the MemoryDirectory an embedder builds and
// reads back, the descriptors a guest gets for it (driven as the bridge drives them: a
// throw with a `payload` is the error of the function's result), no path out of a
// preopen, and host directories kept per instance. Wasmtime's fs programs run in
// tests/real (cases/p3-wasi.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { MemoryDirectory, MemorySymlink, runCommand, wasiImports, wasiP3Imports, WASI_P3_VERSION } from '../../js/wasi/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const PREOPENS = `wasi:filesystem/preopens@${WASI_P3_VERSION}`;
const READ = { read: true };
const WRITE = { read: true, write: true };
const DIR = { read: true, mutateDirectory: true };
const FOLLOW = { symlinkFollow: true };
const NOFOLLOW = {};
const text = (s) => new TextEncoder().encode(s);

async function preopen(dirs) {
  const imports = await wasiP3Imports({ preopens: dirs });
  return imports[PREOPENS].getDirectories();
}

async function codeOf(fn) {
  try {
    await fn();
  } catch (e) {
    return e.payload?.tag ?? `not a WASI error: ${e.message}`;
  }
  return 'no error';
}

async function readAll(stream) {
  const chunks = [];
  for await (const c of stream) chunks.push(...(c instanceof Uint8Array ? c : [c]));
  return chunks;
}

const streamOf = (...chunks) => new ReadableStream({
  start(c) {
    for (const chunk of chunks) c.enqueue(chunk);
    c.close();
  },
});

test('MemoryDirectory: built from strings, bytes and objects, read back file by file and whole', async () => {
  const dir = new MemoryDirectory({ 'a.txt': 'hello', sub: { 'b.bin': new Uint16Array([1, 2]), empty: {} } });
  assert.equal(dir.readText('a.txt'), 'hello');
  assert.deepEqual([...dir.readFile('sub/b.bin')], [1, 0, 2, 0]);
  assert.equal(dir.readFile('missing'), undefined);
  assert.deepEqual(dir.list(), ['a.txt', 'sub']);
  assert.deepEqual(dir.list('sub'), ['b.bin', 'empty']);
  dir.writeFile('sub/c.txt', 'new');
  assert.deepEqual(dir.toObject(), { 'a.txt': text('hello'), sub: { 'b.bin': new Uint8Array([1, 0, 2, 0]), empty: {}, 'c.txt': text('new') } });
  const fromBlobs = await MemoryDirectory.from({ 'photo.bin': new Blob([new Uint8Array([9, 8])]), nested: { 'n.txt': new Blob(['x']) } });
  assert.deepEqual(fromBlobs.toObject(), { 'photo.bin': new Uint8Array([9, 8]), nested: { 'n.txt': text('x') } });
});

test('MemoryDirectory refuses what is not a tree, with the path in the message', () => {
  assert.throws(() => new MemoryDirectory({ 'a/b': 'x' }), /`a\/b` is not a file name/);
  assert.throws(() => new MemoryDirectory({ '..': 'x' }), /is not a file name/);
  assert.throws(() => new MemoryDirectory({ d: { f: 42 } }), /`d\/f` must be a string, bytes or an object/);
  assert.throws(() => new MemoryDirectory({ f: new Blob(['x']) }), /use await MemoryDirectory.from/);
  assert.throws(() => new MemoryDirectory([]), /must be an object of names/);
  assert.throws(() => new MemoryDirectory().readFile('../x'), /leads outside its directory/);
});

test('a guest creates, writes, reads, lists, renames and removes files in a MemoryDirectory', async () => {
  const dir = new MemoryDirectory({ 'in.txt': 'input' });
  const [[root, guestPath]] = await preopen({ '/data': dir });
  assert.equal(guestPath, '/data');
  assert.deepEqual(root.getType(), { tag: 'directory' });

  // Write at an offset: the gap reads as zeros.
  const out = root.openAt(NOFOLLOW, 'out.txt', { create: true }, WRITE);
  assert.deepEqual(await out.writeViaStream(streamOf(text('Hello, '), text('World!')), 5n), { tag: 'ok', val: undefined });
  assert.deepEqual([...dir.readFile('out.txt')], [0, 0, 0, 0, 0, ...text('Hello, World!')]);
  assert.deepEqual(await out.appendViaStream(streamOf(text('!'))), { tag: 'ok', val: undefined });
  assert.equal(out.stat().size, 19n);

  const [bytes, done] = out.readViaStream(5n);
  assert.equal(new TextDecoder().decode(new Uint8Array(await readAll(bytes))), 'Hello, World!!');
  assert.deepEqual(await done, { tag: 'ok', val: undefined });

  root.createDirectoryAt('sub');
  root.renameAt('out.txt', root, 'sub/moved.txt');
  const [entries, listed] = root.readDirectory();
  assert.deepEqual(await readAll(entries), [{ type: { tag: 'regular-file' }, name: 'in.txt' }, { type: { tag: 'directory' }, name: 'sub' }]);
  assert.deepEqual(await listed, { tag: 'ok', val: undefined });
  assert.equal(await codeOf(() => root.removeDirectoryAt('sub')), 'not-empty');
  root.unlinkFileAt('sub/moved.txt');
  root.removeDirectoryAt('sub');
  assert.deepEqual(Object.keys(dir.toObject()), ['in.txt']);
  assert.equal(root.statAt(NOFOLLOW, 'in.txt').size, 5n);
});

test('no path leaves a MemoryDirectory: absolute paths, .. above it, symlinks out', async () => {
  const dir = new MemoryDirectory({ sub: { 'f.txt': 'x' }, up: new MemorySymlink('../secret'), abs: new MemorySymlink('/etc/passwd'), ok: new MemorySymlink('sub/f.txt') });
  const [[root]] = await preopen({ '/': dir });
  assert.equal(await codeOf(() => root.openAt(NOFOLLOW, '/etc/passwd', {}, READ)), 'not-permitted');
  assert.equal(await codeOf(() => root.openAt(NOFOLLOW, '../x', {}, READ)), 'not-permitted');
  assert.equal(await codeOf(() => root.openAt(NOFOLLOW, 'sub/../../x', {}, READ)), 'not-permitted');
  assert.equal(await codeOf(() => root.openAt(FOLLOW, 'up', {}, READ)), 'not-permitted');
  assert.equal(await codeOf(() => root.openAt(FOLLOW, 'abs', {}, READ)), 'not-permitted');
  assert.equal(await codeOf(() => root.symlinkAt('/etc', 'mine')), 'not-permitted');
  // Inside is fine, also through `..` that stays in, and through a descriptor of a subdirectory.
  assert.equal(root.openAt(NOFOLLOW, 'sub/../sub/f.txt', {}, READ).stat().size, 1n);
  assert.equal(root.openAt(FOLLOW, 'ok', {}, READ).stat().size, 1n);
  assert.equal(root.readlinkAt('ok'), 'sub/f.txt');
  const sub = root.openAt(NOFOLLOW, 'sub', { directory: true }, DIR);
  assert.equal(await codeOf(() => sub.openAt(NOFOLLOW, '../sub/f.txt', {}, READ)), 'not-permitted', 'a descriptor is the bound, not the preopen');
  // A loop of symlinks ends.
  root.symlinkAt('b', 'a');
  root.symlinkAt('a', 'b');
  assert.equal(await codeOf(() => root.openAt(FOLLOW, 'a', {}, READ)), 'loop');
});

test('rights: a read-only file takes no write, a directory opens for writing as no file, create with directory is invalid', async () => {
  const dir = new MemoryDirectory({ 'f.txt': 'abc', d: {} });
  const [[root]] = await preopen({ '/': dir });
  const readOnly = root.openAt(NOFOLLOW, 'f.txt', {}, READ);
  let pulled = false;
  const offered = new ReadableStream({ pull() { pulled = true; } });
  assert.deepEqual(await readOnly.writeViaStream(offered, 0n), { tag: 'err', val: { tag: 'bad-descriptor' } });
  assert.equal(pulled, false, 'nothing was taken from the stream');
  assert.equal(dir.readText('f.txt'), 'abc');
  assert.equal(await codeOf(() => root.openAt(NOFOLLOW, 'd', {}, WRITE)), 'is-directory');
  assert.equal(await codeOf(() => root.openAt(NOFOLLOW, 'n', { create: true, directory: true }, READ)), 'invalid');
  assert.equal(await codeOf(() => root.openAt(NOFOLLOW, 'f.txt', { create: true, exclusive: true }, WRITE)), 'exist');
  assert.equal(await codeOf(() => root.openAt(NOFOLLOW, 'f.txt/', {}, READ)), 'not-directory');
  assert.equal(await codeOf(() => root.openAt(NOFOLLOW, 'missing', {}, READ)), 'no-entry');
  // A directory opened without mutate-directory changes nothing.
  const readOnlyDir = root.openAt(NOFOLLOW, 'd', { directory: true }, READ);
  assert.equal(await codeOf(() => readOnlyDir.createDirectoryAt('x')), 'not-permitted');
  assert.equal(await codeOf(() => readOnlyDir.openAt(NOFOLLOW, 'x', { create: true }, WRITE)), 'not-permitted');
  const [, failed] = root.readViaStream(0n);
  assert.deepEqual(await failed, { tag: 'err', val: { tag: 'is-directory' } });
  assert.ok(root.isSameObject(root.openAt(NOFOLLOW, '.', {}, READ)));
  assert.deepEqual(root.metadataHash(), root.openAt(NOFOLLOW, '.', {}, READ).metadataHash());
});

test('host directories are per instance: each set of imports sees only its own preopens', async () => {
  const a = await mkdtemp(path.join(tmpdir(), 'cmbridge-fs-a-'));
  const b = await mkdtemp(path.join(tmpdir(), 'cmbridge-fs-b-'));
  try {
    await writeFile(path.join(a, 'only-a.txt'), 'A');
    await writeFile(path.join(b, 'only-b.txt'), 'B');
    await symlink('/etc/passwd', path.join(a, 'escape'));
    const [[rootA]] = await preopen({ '/': a });
    const [[rootB]] = await preopen({ '/': b });  // made after A's: the shim's global list is B's now
    assert.equal((await rootA.statAt(NOFOLLOW, 'only-a.txt')).size, 1n);
    assert.equal(await codeOf(() => rootA.statAt(NOFOLLOW, 'only-b.txt')), 'no-entry');
    assert.equal((await rootB.statAt(NOFOLLOW, 'only-b.txt')).size, 1n);
    assert.equal(await codeOf(() => rootA.openAt(NOFOLLOW, '../x', {}, READ)), 'not-permitted');
    assert.equal(await codeOf(() => rootA.openAt(FOLLOW, 'escape', {}, READ)), 'not-permitted');
    // Both kinds at once, and no rename from one to the other.
    const mem = new MemoryDirectory({ 'm.txt': 'm' });
    const both = await preopen({ '/host': a, '/mem': mem });
    assert.deepEqual(both.map(([, p]) => p), ['/host', '/mem']);
    assert.equal(await codeOf(() => both[1][0].renameAt('m.txt', both[0][0], 'm.txt')), 'cross-device');
  } finally {
    await rm(a, { recursive: true, force: true });
    await rm(b, { recursive: true, force: true });
  }
});

test('options: a preopen is a path or a MemoryDirectory; WASI 0.2 takes paths only', async () => {
  await assert.rejects(wasiP3Imports({ preopens: { '/': 42 } }), /must be a host directory's path or a MemoryDirectory/);
  assert.throws(() => wasiImports({ preopens: { '/': new MemoryDirectory() } }), /MemoryDirectory, which WASI 0.3 components can use/);
});

test('through the bridge: a component copies a file in a MemoryDirectory, each open-at answered in the call', async () => {
  const copy = await watToBytes(await readFile(new URL('components/p3-copy-file.wat', import.meta.url), 'utf8'));
  const big = new Uint8Array(300_000).map((_, i) => i * 7);
  const dir = new MemoryDirectory({ 'input.txt': big, 'output.txt': 'old, longer than nothing' });
  assert.equal(await runCommand(copy, { preopens: { '/': dir } }), 0);
  assert.deepEqual(dir.readFile('output.txt'), big, 'copied whole, the old contents truncated');
  // No input.txt: open-at's no-entry reaches the guest, which returns err (exit 1).
  const empty = new MemoryDirectory();
  assert.equal(await runCommand(copy, { preopens: { '/': empty } }), 1);
  assert.equal(empty.readFile('input.txt'), undefined);
});
