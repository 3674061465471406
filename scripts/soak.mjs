// `npm run soak [-- --scale=N]`: builds what is missing, then runs the leak soak
// (tests/soak/soak.mjs) with garbage collection on demand.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureNodeModules, repoRoot } from './prerequisites.mjs';
import { buildWasm } from './build.mjs';

ensureNodeModules();
buildWasm();
const run = spawnSync(process.execPath, ['--expose-gc', path.join(repoRoot, 'tests/soak/soak.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
