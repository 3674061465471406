// `npm test`: installs what is missing, builds both engines, then runs every test:
// native GoogleTest (ctest), then the JS-facing suites with node's test runner
// (tests/js, tests/conformance, tests/browser, and tests/package: the packed tarball in use).
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
const suites = ['tests/js', 'tests/conformance', 'tests/browser', 'tests/package'].map((d) => path.join(repoRoot, d));
step('JS, conformance, browser and package tests (node --test)', process.execPath, ['--test', '--test-concurrency=2', ...suites]);
process.exit(failed ? 1 : 0);
