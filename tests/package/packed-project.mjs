// What a user of the package gets: `npm pack` (its prepack script builds the engine) into
// a temp folder, then the tarball installed into a new empty project beside it. Its one
// dependency (@bytecodealliance/preview2-shim, and what that depends on) comes from npm's
// cache, which `npm ci` filled, and from the registry only for what the cache lacks: a
// fresh machine's cache holds the packages' tarballs but not always their metadata, and
// `--offline` then fails (ENOTCACHED).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../scripts/prerequisites.mjs';

export const fixturesDir = path.join(repoRoot, 'tests', 'package', 'fixtures');

/** Runs a program; resolves to { code, stdout, stderr } (never rejects on a failing exit). */
export function run(file, args, options = {}) {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 64 * 1024 * 1024, env: childEnv(), ...options }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr });
    });
  });
}

// Under `npm test` the outer npm exports its settings as npm_* variables; an inner npm
// would take them for its own (the outer project's prefix, say), so they are left out.
// NO_COLOR: the tests read what the programs print, and Vite colours its log whenever the
// variable CI is set (as CI services set it), which the log's patterns would not match.
export function childEnv() {
  const inherited = Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_') && key !== 'FORCE_COLOR');
  return { ...Object.fromEntries(inherited), NO_COLOR: '1' };
}

async function runOrThrow(file, args, options) {
  const result = await run(file, args, options);
  if (result.code !== 0) {
    throw new Error(`${path.basename(file)} ${args.join(' ')} failed (exit ${result.code}):\n${result.stderr}${result.stdout}`);
  }
  return result;
}

/**
 * Packs the repository and installs the tarball into an empty project. Resolves to
 * { pack, tarball, project, remove() }: `pack` is npm pack's JSON report (name, size,
 * unpackedSize, files), `project` the project's folder.
 */
export async function packAndInstall() {
  const dir = await mkdtemp(path.join(tmpdir(), 'cmbridge-package-'));
  const packDir = path.join(dir, 'pack');
  await mkdir(packDir);
  // prepack's build log goes to stderr, so stdout is npm's JSON alone.
  const { stdout } = await runOrThrow('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: repoRoot });
  const [pack] = JSON.parse(stdout);
  const tarball = path.join(packDir, pack.filename);

  const project = path.join(dir, 'project');
  await mkdir(project);
  await writeFile(path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'cmbridge-user', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  await runOrThrow('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: project });
  return { pack, tarball, project, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Copies tests/package/fixtures/<name> into the project (as <as>, by default the same name). */
export async function copyFixture(project, name, as = name) {
  const target = path.join(project, as);
  await cp(path.join(fixturesDir, name), target, { recursive: true });
  return target;
}
