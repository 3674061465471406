// The demo page: load a component (a bundled example, or a .wasm of one's own), see its
// interface, call its exports, pipe a file through a stream transform, run a WASI 0.3
// command with a file as its stdin, and watch the task tree while it all runs. Each part
// is a view in views/; this module holds the one piece of state they share, the component
// being shown, and wires them together.
//
// `body[data-state]` says where loading is ('loading', 'ready', 'error') and
// `body[data-component]` which component is shown, for tests and curious readers.
import { Component } from '../js/index.mjs';
import { byId } from './dom.mjs';
import { EXAMPLES, EXAMPLES_URL } from './examples.mjs';
import { collectExports } from './exports.mjs';
import { hostImportsFor } from './host-imports.mjs';
import { wasiImportsFor } from '../js/wasi/command.mjs';
import { Ticker } from './live.mjs';
import { CallsView } from './views/calls.mjs';
import { HostLogView } from './views/host-log.mjs';
import { InterfaceView } from './views/interface.mjs';
import { LoaderView } from './views/loader.mjs';
import { TaskTreeView } from './views/task-tree.mjs';
import { TransformView } from './views/transform.mjs';
import { WasiStdioView } from './views/wasi-stdio.mjs';

const ticker = new Ticker();
const log = new HostLogView(byId('log'));
const loader = new LoaderView(
  { examples: byId('examples'), fileInput: byId('file-input'), dropZone: byId('drop-zone'), status: byId('status'), reinstantiate: byId('reinstantiate') },
  EXAMPLES,
  {
    loadExample: (example) => loadExample(example),
    loadFile: (file) => load(file.name, async () => new Uint8Array(await file.arrayBuffer())),
    reinstantiate: () => current && instantiate(current),
  },
);
const iface = new InterfaceView({ wit: byId('wit'), exportList: byId('export-types') });
const calls = new CallsView(byId('calls'), ticker, (outcome) => {
  if (outcome.kind === 'trap' && current) loader.status(`${current.name} trapped: ${outcome.text.replace(/^trap: /, '')}. This instance now refuses every call; "New instance" makes a fresh one.`, 'error');
});
const pipe = new TransformView({
  panel: byId('transform-panel'),
  form: byId('pipe-form'),
  exportSelect: byId('pipe-export'),
  file: byId('pipe-file'),
  speed: byId('pipe-speed'),
  run: byId('pipe-run'),
  cancel: byId('pipe-cancel'),
  progress: byId('pipe-progress'),
  percent: byId('pipe-percent'),
  stats: byId('pipe-stats'),
  status: byId('pipe-status'),
  download: byId('pipe-download'),
}, ticker);
const tree = new TaskTreeView(byId('task-tree'));
// The WASI 0.3 panel runs a command of its own, whatever component is shown.
new WasiStdioView(
  { form: byId('wasi-form'), file: byId('wasi-file'), run: byId('wasi-run'), output: byId('wasi-output'), status: byId('wasi-status') },
  new URL('wasi-cat.wasm', EXAMPLES_URL),
);
ticker.onFrame(() => tree.draw());

// The component shown: { name, component, example, instance }.
let current = null;
let loading = 0;  // the latest load: an older one that finishes late is dropped

function loadExample(example) {
  return load(example.file, () => fetchBytes(new URL(example.file, EXAMPLES_URL)), example);
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status} (build the examples: node scripts/build.mjs examples)`);
  return new Uint8Array(await response.arrayBuffer());
}

async function load(name, getBytes, example = null) {
  const id = ++loading;
  document.body.dataset.state = 'loading';
  loader.status(`loading ${name}…`);
  loader.select(example?.file ?? null);
  try {
    const started = performance.now();
    const component = await Component.compile(await getBytes());
    if (id !== loading) return;
    const compiled = performance.now() - started;
    await instantiate({ name, component, example, instance: null }, `compiled in ${compiled.toFixed(1)} ms`);
  } catch (error) {
    if (id !== loading) return;
    fail(name, error);
  }
}

// A new instance of `shown.component`, and every view showing it.
async function instantiate(shown, note = '') {
  const started = performance.now();
  log.clear();
  try {
    shown.instance = await shown.component.instantiate(await importsFor(shown.component));
  } catch (error) {
    fail(shown.name, error, shown.component);
    return;
  }
  current = shown;
  const entries = collectExports(shown.instance.exports);
  iface.show(shown.component, entries);
  calls.show(entries, shown.example?.presets);
  pipe.show(entries);
  tree.attach(shown.instance);
  loader.canReinstantiate(true);
  const timing = [note, `instantiated in ${(performance.now() - started).toFixed(1)} ms`].filter(Boolean).join(', ');
  loader.status(`${shown.name}: ${timing}.`, 'ok');
  document.body.dataset.component = shown.name;
  document.body.dataset.state = 'ready';
}

// Every component gets WASI (0.2 and 0.3: its stdout and stderr go to the console), the
// page's log and sleep where it imports them, and stubs for the rest (host-imports.mjs).
async function importsFor(component) {
  const wasi = component.plan.imports.some(({ name }) => name.startsWith('wasi:')) ? await wasiImportsFor(component, {}) : {};
  return hostImportsFor(component, log.write, wasi);
}

// A component that cannot be shown: say why, and show nothing stale. One that compiled
// (`component`) still shows its WIT.
function fail(name, error, component = null) {
  current = null;
  iface.clear();
  if (component) iface.showWit(component);
  calls.clear();
  pipe.clear();
  tree.attach(null);
  loader.canReinstantiate(false);
  loader.status(`${name}: ${error.name}: ${error.message}`, 'error');
  document.body.dataset.component = name;
  document.body.dataset.state = 'error';
}

await loadExample(EXAMPLES[0]);
