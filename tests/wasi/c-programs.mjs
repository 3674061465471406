// Builds the C test programs (tests/wasi/c/*.c) as a C toolchain user would: clang
// --target=wasm32-wasi with Debian's wasi-libc (packages clang, wasi-libc,
// libclang-rt-dev-wasm32), then `jco new core.wasm --wasi-command`, which wraps the core
// module in a component with the WASI preview1 command adapter that jco ships (the adapter
// inside nearly every C and Rust WASI 0.2 component). Outputs are cached in
// build/c-components/, named by a hash of the source, the compiler and jco's version.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');
const outDir = path.join(repo, 'build', 'c-components');
const jco = path.join(repo, 'node_modules', '.bin', 'jco');
const SYSROOT_CRT = '/usr/lib/wasm32-wasi/crt1-command.o';

/** Why C programs cannot be built here, or false. */
export function cToolchainMissing() {
  if (!existsSync(SYSROOT_CRT)) return 'wasi-libc is not installed (apt-get install wasi-libc libclang-rt-dev-wasm32 clang)';
  if (!existsSync(jco)) return 'node_modules has no jco (npm ci)';
  return false;
}

const pending = new Map();

/** The path of the component built from tests/wasi/c/<name>.c, building it if needed. */
export function cComponent(name) {
  if (!pending.has(name)) pending.set(name, build(name));
  return pending.get(name);
}

async function build(name) {
  const source = path.join(here, 'c', `${name}.c`);
  const clangVersion = (await run('clang', ['--version'])).stdout.split('\n')[0];
  const jcoVersion = JSON.parse(await readFile(path.join(repo, 'node_modules/@bytecodealliance/jco/package.json'), 'utf8')).version;
  const hash = createHash('sha256').update(JSON.stringify({ clangVersion, jcoVersion })).update(await readFile(source)).digest('hex').slice(0, 16);
  const out = path.join(outDir, `${name}-${hash}.wasm`);
  if (await access(out).then(() => true, () => false)) return out;
  await mkdir(outDir, { recursive: true });
  const core = path.join(outDir, `${name}-${hash}.core.wasm.${process.pid}`);
  const partial = `${out}.${process.pid}.partial`;
  await run('clang', ['--target=wasm32-wasi', '-O2', '-Wall', '-Werror', '-o', core, source]);
  try {
    await run(jco, ['new', core, '--wasi-command', '-o', partial]);
  } finally {
    await unlink(core);
  }
  await rename(partial, out);  // whole or not at all: tests may run side by side
  return out;
}
