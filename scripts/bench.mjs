// `npm run bench`: builds what is missing, then prints the benchmark tables: the JS-facing
// benchmarks (tests/bench/*.bench.mjs, side by side with a plain core wasm call and jco)
// the leak soak at a tenth of its counts (tests/soak), and the engine's Google Benchmark
// figures (build/native/abi_bench), if built.
// Run it on a quiet machine: figures taken while other builds run are noise.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureNodeModules, repoRoot } from './prerequisites.mjs';
import { buildNative, buildWasm } from './build.mjs';

ensureNodeModules();
buildWasm();
const nativeDir = buildNative();

const benchDir = path.join(repoRoot, 'tests', 'bench');
for (const file of readdirSync(benchDir).filter((f) => f.endsWith('.bench.mjs')).sort()) {
  const { run } = await import(pathToFileURL(path.join(benchDir, file)).href);
  await run();
}

// Leaks per operation (tests/soak/soak.mjs; `npm run soak` runs ten times as many).
spawnSync(process.execPath, ['--expose-gc', path.join(repoRoot, 'tests/soak/soak.mjs'), '--scale=0.1'], { stdio: 'inherit' });

const native = path.join(nativeDir, 'abi_bench');
if (existsSync(native)) {
  console.log('\n## Engine (Google Benchmark, native)\n');
  spawnSync(native, ['--benchmark_min_time=0.2'], { stdio: 'inherit' });
}
