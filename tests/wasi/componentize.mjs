// Builds the JS-authored test components with componentize-qjs (QuickJS inside a
// component; it runs offline as installed from npm). Outputs go to build/wasi-components/,
// named by a hash of everything that shapes them, so reruns reuse them.
//
// As a script (`node tests/wasi/componentize.mjs`) it builds all of them: componentize is
// heavy, so run it on its own (under the shared machine's lock, if there is one) before
// the test files, which then find the cache warm.
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const sources = path.join(here, 'components');
const outDir = path.join(here, '..', '..', 'build', 'wasi-components');
const toolVersion = createRequire(import.meta.url)('componentize-qjs/package.json').version;

/** What each test component is made of: a world of worlds.wit, a JS file, the runtime. */
export const COMPONENTS = {
  // `sync`: the runtime without Component Model async (plain exports only).
  'greeter-sync': { world: 'greeter-sync', js: 'greeter-sync.js', sync: true },
  greeter: { world: 'greeter', js: 'greeter.js', sync: false },
  command: { world: 'command', js: 'command.js', sync: true },
  'command-async-runtime': { world: 'command', js: 'command.js', sync: false },
};

const pending = new Map();

/** The path of a built test component, building it if its sources changed. */
export function componentPath(name) {
  if (!pending.has(name)) pending.set(name, build(name));
  return pending.get(name);
}

async function build(name) {
  const spec = COMPONENTS[name];
  if (!spec) throw new Error(`no test component \`${name}\``);
  const witPath = path.join(sources, 'worlds.wit');
  const jsPath = path.join(sources, spec.js);
  const js = await readFile(jsPath, 'utf8');
  // Every source file counts: the JS may import its neighbours.
  const hasher = createHash('sha256').update(JSON.stringify({ toolVersion, spec }));
  for (const file of (await readdir(sources)).sort()) hasher.update(file).update(await readFile(path.join(sources, file)));
  const hash = hasher.digest('hex').slice(0, 16);
  const out = path.join(outDir, `${name}-${hash}.wasm`);
  if (await access(out).then(() => true, () => false)) return out;
  const { componentize } = await import('componentize-qjs');
  const { component } = await componentize({
    witPath, world: spec.world, jsSource: js, jsPath, moduleRoot: sources, sync: spec.sync,
  });
  await mkdir(outDir, { recursive: true });
  // Another test file may be building the same one: write aside, then rename (atomic).
  const temporary = `${out}.${process.pid}.tmp`;
  await writeFile(temporary, component);
  await rename(temporary, out);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of Object.keys(COMPONENTS)) console.log(path.relative(process.cwd(), await componentPath(name)));
}
