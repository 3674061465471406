// `npm test`: installs what is missing, builds both engines, then runs every test:
// native GoogleTest (ctest), then the JS-facing suites with node's test runner
// (tests/js, tests/conformance, tests/browser, tests/wasi, and tests/package: the packed
// tarball in use). The WASI tests' JS-authored components are built first, one at a time,
// by componentize-qjs, and cached in build/.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureNodeModules, ensureTools, repoRoot } from './prerequisites.mjs';
import { buildNative, buildWasm } from './build.mjs';

ensureTools(['emcc', 'cmake', 'ninja', 'g++', 'chromium'], { withNativeTests: true });
ensureNodeModules();
const nativeDir = buildNative();
buildWasm();

let failed = false;
const step = (title, cmd, args, options = {}) => {
  console.log(`\n== ${title}`);
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', ...options });
  if (r.status !== 0) {
    failed = true;
    console.log(`== ${title}: FAILED (exit ${r.status ?? r.signal})`);
  }
};

step('native unit tests (ctest)', 'ctest', ['--test-dir', nativeDir, '--output-on-failure', '-j2']);
step('WASI test components (componentize-qjs)', process.execPath, [path.join(repoRoot, 'tests/wasi/componentize.mjs')]);
const suites = ['tests/js', 'tests/conformance', 'tests/browser', 'tests/wasi', 'tests/package'].map((d) => path.join(repoRoot, d));
step('JS, conformance, browser, WASI and package tests (node --test)', process.execPath, ['--test', '--test-concurrency=2', ...suites]);
process.exit(failed ? 1 : 0);
