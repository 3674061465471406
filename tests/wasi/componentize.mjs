// Builds the JS-authored test components with the two JS toolchains that run offline as
// installed from npm:
//   componentize-qjs (QuickJS inside the component; with or without Component Model async)
//   @bytecodealliance/componentize-js (StarlingMonkey, i.e. SpiderMonkey, inside it)
// Outputs go to build/wasi-components/, named by a hash of everything that shapes them, so
// reruns reuse them. Each build runs in a process of its own (toolchains keep global state:
// componentize-js needs the WASI shim's filesystem opened at `/` to read the sources).
//
// As a script: `node tests/wasi/componentize.mjs` builds all of them, one at a time.
// componentize is heavy, so `npm test` runs this before the test files, which then find
// the cache warm. `--build <name>` builds one (what componentPath spawns).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const sources = path.join(here, 'components');
const outDir = path.join(here, '..', '..', 'build', 'wasi-components');
const repoRoot = path.join(here, '..', '..');
const nodeModules = path.join(repoRoot, 'node_modules');

/** What each test component is made of: a world of worlds.wit, a JS file, a toolchain. */
export const COMPONENTS = {
  // QuickJS: `sync` picks the runtime without Component Model async (plain exports only).
  'greeter-sync': { tool: 'qjs', world: 'greeter-sync', js: 'greeter-sync.js', sync: true },
  greeter: { tool: 'qjs', world: 'greeter', js: 'greeter.js', sync: false },
  command: { tool: 'qjs', world: 'command', js: 'command.js', sync: true },
  'command-async-runtime': { tool: 'qjs', world: 'command', js: 'command.js', sync: false },
  // StarlingMonkey.
  'greeter-starlingmonkey': { tool: 'starlingmonkey', world: 'greeter-sync', js: 'greeter-sync.js' },
  'command-starlingmonkey': { tool: 'starlingmonkey', world: 'command', js: 'command.js' },
  // A WASI 0.3 wasi:http service (QuickJS with Component Model async): http/worlds.wit.
  // (componentize-qjs 0.4.5 cannot build a component that imports an async function, such
  // as wasi:http/client's send: its pre-initialization links no async imports.)
  'http-service': { tool: 'qjs', wit: 'http/worlds.wit', world: 'service', js: 'http/service.js', sync: false },
  // gzip(stream<u8>) -> stream<u8> with fflate from npm (QuickJS with Component Model
  // async): gzip/worlds.wit. Its bare import resolves under the repository's node_modules.
  gzip: { tool: 'qjs', wit: 'gzip/worlds.wit', world: 'gzip', js: 'gzip/gzip.js', sync: false, moduleRoot: 'repository' },
};

const TOOL_PACKAGES = { qjs: 'componentize-qjs', starlingmonkey: '@bytecodealliance/componentize-js' };

const pending = new Map();

/** The path of a built test component, building it (in a child process) if needed. */
export function componentPath(name) {
  if (!pending.has(name)) {
    pending.set(name, (async () => {
      const out = await outputPath(name);
      if (await exists(out)) return out;
      await new Promise((resolve, reject) => {
        execFile(process.execPath, [fileURLToPath(import.meta.url), '--build', name], { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
          if (error) reject(new Error(`building test component ${name} failed: ${stderr || error.message}`));
          else resolve();
        });
      });
      return out;
    })());
  }
  return pending.get(name);
}

async function outputPath(name) {
  const spec = COMPONENTS[name];
  if (!spec) throw new Error(`no test component \`${name}\``);
  const toolVersion = JSON.parse(await readFile(path.join(nodeModules, TOOL_PACKAGES[spec.tool], 'package.json'), 'utf8')).version;
  // Every source file counts: the JS may import its neighbours.
  const hasher = createHash('sha256').update(JSON.stringify({ toolVersion, spec }));
  // A component that imports npm packages is made of their versions too.
  if (spec.moduleRoot === 'repository') hasher.update(await readFile(path.join(repoRoot, 'package-lock.json')));
  const files = (await readdir(sources, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  for (const file of files.map((e) => path.relative(sources, path.join(e.parentPath ?? e.path, e.name))).sort()) {
    hasher.update(file).update(await readFile(path.join(sources, file)));
  }
  return path.join(outDir, `${name}-${hasher.digest('hex').slice(0, 16)}.wasm`);
}

const exists = (file) => access(file).then(() => true, () => false);

async function build(name) {
  const out = await outputPath(name);
  if (await exists(out)) return out;
  const spec = COMPONENTS[name];
  const witPath = path.join(sources, spec.wit ?? 'worlds.wit');
  const jsPath = path.join(sources, spec.js);
  let component;
  if (spec.tool === 'qjs') {
    const { componentize } = await import('componentize-qjs');
    ({ component } = await componentize({
      witPath, world: spec.world, jsSource: await readFile(jsPath, 'utf8'), jsPath, moduleRoot: spec.moduleRoot === 'repository' ? repoRoot : sources, sync: spec.sync,
    }));
  } else {
    // componentize-js runs its own tools as components on the WASI shim, which opens no
    // directory unless told: give it the filesystem (this process only builds).
    const { _addPreopen } = await import('@bytecodealliance/preview2-shim/filesystem');
    _addPreopen('/', '/');
    const { componentize } = await import('@bytecodealliance/componentize-js');
    ({ component } = await componentize({ sourcePath: jsPath, witPath, worldName: spec.world }));
  }
  await mkdir(outDir, { recursive: true });
  // Another process may be building the same one: write aside, then rename (atomic).
  const temporary = `${out}.${process.pid}.tmp`;
  await writeFile(temporary, component);
  await rename(temporary, out);
  // Older builds of the same component are of no further use.
  const stale = new RegExp(`^${name}-[0-9a-f]{16}\\.wasm$`);
  for (const file of await readdir(outDir)) {
    if (stale.test(file) && file !== path.basename(out)) await unlink(path.join(outDir, file)).catch(() => {});
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [flag, name] = process.argv.slice(2);
  const names = flag === '--build' ? [name] : Object.keys(COMPONENTS);
  for (const each of names) console.log(path.relative(process.cwd(), await build(each)));
}
