// `npm run fuzz -- [seconds] [target...]`: builds the libFuzzer targets (tests/fuzz/, into
// build/fuzz), makes their seeds (tests/fuzz/seeds.mjs, into build/fuzz/seeds), runs each
// target for `seconds` (default 60) one after another, then the differential against the
// spec's Python reference for as long, and prints per target: executions, executions per
// second, corpus size and findings. Findings (crash files, differential mismatches) are
// kept in build/fuzz/findings/<target>/; each target's corpus grows in
// build/fuzz/corpus/<target>/ from run to run. docs/fuzzing.md says what each target checks.
//
//   node scripts/fuzz.mjs --smoke    what `npm test` runs: every target over its seeds plus
//                                    a few seconds, from an empty corpus, and a fixed batch of
//                                    differential cases; fails on any finding
//
// Everything runs under `nice -n 10`, one job at a time; the build uses CM_FUZZ_JOBS
// parallel jobs (default 1; every core under CI=true). Needs clang and its sanitizer/libFuzzer runtimes (Debian:
// clang, libclang-rt-<version>-dev), cmake, ninja, and python3 for the differential.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureNodeModules, ensureTools, repoRoot } from './prerequisites.mjs';

const TARGETS = ['component_binary', 'value_roundtrip', 'wit_parser'];
// value_roundtrip takes guest memory of up to 4 KiB from its input; its seeds are small,
// and libFuzzer would otherwise cap inputs at the largest seed.
const EXTRA_ARGS = { value_roundtrip: ['-max_len=8192'] };
const SMOKE_SECONDS = 3;
const SMOKE_DIFFERENTIAL_CASES = 5000;
const DIFFERENTIAL_BATCH = 50000;

const fuzzDir = path.join(repoRoot, 'build', 'fuzz');
const seedsDir = path.join(fuzzDir, 'seeds');
const findingsDir = path.join(fuzzDir, 'findings');
const logsDir = path.join(fuzzDir, 'logs');

const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const seconds = Number(argv.find((a) => /^\d+$/.test(a)) ?? (smoke ? SMOKE_SECONDS : 60));
const chosen = argv.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
for (const t of chosen) {
  if (![...TARGETS, 'differential'].includes(t)) {
    console.error(`[fuzz] unknown target ${t}; targets: ${[...TARGETS, 'differential'].join(', ')}`);
    process.exit(2);
  }
}
const wanted = (t) => chosen.length === 0 || chosen.includes(t);

const nice = (cmd, args, options = {}) => execFileSync('nice', ['-n', '10', cmd, ...args], { cwd: repoRoot, stdio: 'inherit', ...options });
const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

// clang's major version names the Debian package of its runtimes (libclang-rt-14-dev).
function clangMajor() {
  const r = spawnSync('clang++', ['--version'], { encoding: 'utf8' });
  return /clang version (\d+)/.exec(r.stdout ?? '')?.[1] ?? '14';
}

// Whether clang can link a libFuzzer target with ASan and UBSan: the runtimes are there.
function canLinkFuzzer() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cm-fuzz-probe-'));
  try {
    const src = path.join(dir, 'probe.cpp');
    writeFileSync(src, 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n');
    return spawnSync('clang++', ['-fsanitize=fuzzer,address,undefined', src, '-o', path.join(dir, 'probe')], { stdio: 'ignore' }).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// As prerequisites.mjs: as root we install what is missing; otherwise we say what to install.
function ensureFuzzTools() {
  ensureTools(['cmake', 'ninja']);
  const missing = () => {
    if (!onPath('clang++')) return ['clang', 'libclang-rt-14-dev'];
    return canLinkFuzzer() ? [] : [`libclang-rt-${clangMajor()}-dev`];
  };
  let packages = missing();
  if (!onPath('python3')) packages.push('python3');
  if (packages.length === 0) return;
  if (!isRoot) {
    console.error(`[setup] missing: ${packages.join(' ')} (clang with its libFuzzer and sanitizer runtimes, for tests/fuzz)\n` +
      `[setup] install them with:\n  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\nthen run this command again.`);
    process.exit(1);
  }
  console.log(`[setup] installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  packages = missing();
  if (packages.length) {
    console.error(`[setup] clang still cannot link a libFuzzer target; install ${packages.join(' ')}`);
    process.exit(1);
  }
}

function build() {
  if (!existsSync(path.join(fuzzDir, 'build.ninja'))) {
    nice('cmake', ['-S', path.join(repoRoot, 'tests/fuzz'), '-B', fuzzDir, '-G', 'Ninja', '-DCMAKE_CXX_COMPILER=clang++'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  // One job by default: the machine may be shared (a developer's build beside). CI has the
  // machine to itself, and the sanitized engine takes ~2 minutes to build on one core.
  const jobs = process.env.CM_FUZZ_JOBS ?? (process.env.CI === 'true' ? String(os.availableParallelism()) : '1');
  nice('cmake', ['--build', fuzzDir, '-j', jobs]);
}

const ARTIFACT = /^(crash|leak|timeout|oom)-/;
const artifacts = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => ARTIFACT.test(f)) : []);

// Runs one libFuzzer target; its output goes to build/fuzz/logs/<target>.log.
async function runTarget(name) {
  const corpus = path.join(fuzzDir, smoke ? 'smoke-corpus' : 'corpus', name);
  if (smoke) rmSync(corpus, { recursive: true, force: true });
  mkdirSync(corpus, { recursive: true });
  const findings = path.join(findingsDir, name);
  mkdirSync(findings, { recursive: true });
  mkdirSync(logsDir, { recursive: true });
  const before = new Set(artifacts(findings));
  const logPath = path.join(logsDir, `${name}.log`);
  const args = [
    '-n', '10', path.join(fuzzDir, name), corpus, path.join(seedsDir, name),
    `-max_total_time=${seconds}`, '-print_final_stats=1', `-artifact_prefix=${findings}/`,
    '-timeout=25', '-rss_limit_mb=2048', '-reload=0', ...(EXTRA_ARGS[name] ?? []),
  ];
  const started = Date.now();
  let output = '';
  const status = await new Promise((resolve) => {
    const child = spawn('nice', args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(logPath);
    const take = (chunk) => {
      log.write(chunk);
      output = (output + chunk.toString()).slice(-200000);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code, signal) => log.end(() => resolve(code ?? signal)));
  });
  const elapsed = (Date.now() - started) / 1000;
  const stat = (key) => Number(new RegExp(`stat::${key}:\\s+(\\d+)`).exec(output)?.[1] ?? NaN);
  const corpusLines = [...output.matchAll(/corp: (\d+)\//g)];
  const fresh = artifacts(findings).filter((f) => !before.has(f));
  const result = {
    name, seconds: elapsed, executions: stat('number_of_executed_units'), execsPerSecond: stat('average_exec_per_sec'),
    corpus: corpusLines.length ? Number(corpusLines.at(-1)[1]) : readdirSync(corpus).length,
    findings: fresh.map((f) => path.relative(repoRoot, path.join(findings, f))), failed: status !== 0,
  };
  if (result.failed) {
    console.log(`\n[fuzz] ${name}: FINDING (exit ${status}); the end of ${path.relative(repoRoot, logPath)}:`);
    console.log(output.split('\n').slice(-60).join('\n'));
  }
  return result;
}

// The generator writes cases with our engine's lifts; differential.py lifts them again with
// the reference. Real runs go batch by batch (a fresh seed each) until the time is up.
function runDifferential() {
  const dir = path.join(fuzzDir, 'differential');
  mkdirSync(dir, { recursive: true });
  const casesFile = path.join(dir, 'cases.jsonl');
  const baseSeed = smoke ? 1 : Date.now() % 1e9;
  const started = Date.now();
  const total = { name: 'differential', executions: 0, findings: [], failed: false, corpus: NaN, skipped: null };
  for (let batch = 0; ; batch++) {
    const cases = smoke ? SMOKE_DIFFERENTIAL_CASES : DIFFERENTIAL_BATCH;
    const seed = baseSeed + batch;
    nice(path.join(fuzzDir, 'differential_gen'), ['--cases', String(cases), '--seed', String(seed), '--out', casesFile]);
    const r = spawnSync('nice', ['-n', '10', 'python3', path.join(repoRoot, 'tests/fuzz/differential.py'), casesFile,
      '--findings', path.join(findingsDir, 'differential')], { cwd: repoRoot, encoding: 'utf8' });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (/differential: skipped/.test(out)) {
      total.skipped = out.trim();
      break;
    }
    total.executions += Number(/differential: (\d+) cases/.exec(out)?.[1] ?? 0);
    if (r.status !== 0) {
      total.failed = true;
      total.findings.push(`seed ${seed}: ${/all mismatches written to (.*)/.exec(out)?.[1] ?? 'see above'}`);
      console.log(`\n[fuzz] differential (differential_gen --cases ${cases} --seed ${seed}): FINDING\n${out}`);
      break;
    }
    if (smoke || (Date.now() - started) / 1000 >= seconds) break;
  }
  total.seconds = (Date.now() - started) / 1000;
  total.execsPerSecond = Math.round(total.executions / total.seconds);
  return total;
}

const started = Date.now();
ensureFuzzTools();
ensureNodeModules();
build();
const builtAt = Date.now();
const { makeSeeds } = await import('../tests/fuzz/seeds.mjs');
const seeds = await makeSeeds(seedsDir);
console.log(`[fuzz] built in ${((builtAt - started) / 1000).toFixed(1)} s; seeds: ${Object.entries(seeds.counts).map(([t, n]) => `${t} ${n}`).join(', ')}` +
  (seeds.suite ? '' : ' (conformance suite not found: set CM_CONFORMANCE_DIR to the component-model folder)'));

const results = [];
for (const name of TARGETS) {
  if (!wanted(name)) continue;
  console.log(`[fuzz] ${name}: ${smoke ? 'seeds + ' : ''}${seconds} s`);
  results.push(await runTarget(name));
}
if (wanted('differential')) {
  console.log(`[fuzz] differential: ${smoke ? `${SMOKE_DIFFERENTIAL_CASES} cases` : `${seconds} s of cases`}`);
  const d = runDifferential();
  if (d.skipped) console.log(`[fuzz] ${d.skipped}`);
  else results.push(d);
}

const fmt = (n) => (Number.isFinite(n) ? String(Math.round(n)) : '-');
const rows = [['target', 'seconds', 'executions', 'execs/s', 'corpus', 'findings'],
  ...results.map((r) => [r.name, r.seconds.toFixed(0), fmt(r.executions), fmt(r.execsPerSecond), fmt(r.corpus),
    String(r.failed ? Math.max(1, r.findings.length) : 0)])];
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
console.log('');
for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
for (const r of results) for (const f of r.findings) console.log(`[fuzz] ${r.name}: finding ${f}`);
console.log(`[fuzz] ${smoke ? 'smoke ' : ''}done in ${((Date.now() - started) / 1000).toFixed(1)} s (build ${((builtAt - started) / 1000).toFixed(1)} s)`);
process.exit(results.some((r) => r.failed) ? 1 : 0);
