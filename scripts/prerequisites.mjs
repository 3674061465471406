// Makes sure the machine has what building and testing need, installing it when we may.
// As root (a fresh CI machine, a container) we install Debian packages and npm
// dependencies ourselves; otherwise we say exactly what to install and stop.
// Used by build.mjs (needs: emscripten, cmake, ninja, g++) and test.mjs (also: chromium, firefox-esr,
// WebKitGTK's WebDriver and xvfb, node_modules with the pinned dev tools).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const DEBIAN_PACKAGES = {
  emcc: 'emscripten',
  cmake: 'cmake',
  ninja: 'ninja-build',
  'g++': 'g++',
  chromium: 'chromium',
  'firefox-esr': 'firefox-esr',
  WebKitWebDriver: 'webkit2gtk-driver',
  'xvfb-run': 'xvfb',
  clang: 'clang',
};
const NATIVE_TEST_PACKAGES = ['libgtest-dev', 'libbenchmark-dev'];
// tests/wasi builds C programs with clang for wasm32-wasi (tests/wasi/c-programs.mjs).
const WASI_C_PACKAGES = ['wasi-libc', 'libclang-rt-dev-wasm32'];

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function debianPackageInstalled(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function aptInstall(packages) {
  console.log(`[setup] installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
}

/**
 * Ensures the named tools exist. `tools` are keys of DEBIAN_PACKAGES; `withNativeTests`
 * adds the GoogleTest/Benchmark development packages, `withWasiC` wasi-libc and the wasm32
 * compiler runtime for clang.
 */
export function ensureTools(tools, { withNativeTests = false, withWasiC = false } = {}) {
  const missing = tools.filter((t) => !onPath(t)).map((t) => DEBIAN_PACKAGES[t]);
  if (withNativeTests) missing.push(...NATIVE_TEST_PACKAGES.filter((p) => !debianPackageInstalled(p)));
  if (withWasiC) missing.push(...WASI_C_PACKAGES.filter((p) => !debianPackageInstalled(p)));
  if (missing.length === 0) return;
  if (!isRoot) {
    console.error(`[setup] missing: ${missing.join(' ')}\n[setup] install them with:\n` +
      `  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\nthen run this command again.`);
    process.exit(1);
  }
  aptInstall(missing);
}

/**
 * Ensures node_modules matches package-lock.json (dev tools for tests and benchmarks):
 * installs when it is missing, or when a devDependency is absent or at another version
 * than package.json pins (a node_modules installed before a tool was added).
 */
export function ensureNodeModules() {
  const marker = path.join(repoRoot, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && installedAsLocked(marker)) return;
  console.log('[setup] installing npm dependencies (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit' });
}

// Whether node_modules holds every package of package-lock.json at its locked version
// (npm records what it installed in node_modules/.package-lock.json). A checkout whose
// lock changed since the last install gets `npm ci` again. Optional packages (other
// platforms' binaries) may be absent.
function installedAsLocked(marker) {
  const wanted = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')).packages;
  const installed = JSON.parse(readFileSync(marker, 'utf8')).packages;
  return Object.entries(wanted).every(([where, entry]) =>
    where === '' || entry.optional || installed[where]?.version === entry.version);
}
