// Runs the real-toolchain components in Node: where they are, compiling them from disk,
// and `command` cases through `cmbridge run` in a child process. The case format and the
// outcomes are outcome.mjs's.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { Component } from '../../js/index.mjs';
import * as outcome from './outcome.mjs';

export { OUTCOMES, errorText, folderOf, summaryTable } from './outcome.mjs';

// Toolchains emit extended constant expressions, which Node 20's V8 has only behind a
// flag (README, "Running WASI components"); the CLI sets it too.
if (Number(process.versions.node.split('.')[0]) < 22) v8.setFlagsFromString('--experimental-wasm-extended-const');

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const realRoot = path.resolve(process.env.CMBRIDGE_REAL_COMPONENTS ?? path.join(repoRoot, '../shared/real-components'));
export const realMissing = existsSync(realRoot) ? false : `real components not found at ${realRoot} (set CMBRIDGE_REAL_COMPONENTS)`;
const cli = path.join(repoRoot, 'js/cli.mjs');

const compiled = new Map();
/** Compiles a fixture once per process. */
export function compileFixture(fixture) {
  if (!compiled.has(fixture)) compiled.set(fixture, Component.compile(readFileSync(path.join(realRoot, fixture))));
  return compiled.get(fixture);
}

/** Instantiates a case (outcome.mjs instantiateCase) with fixtures from disk. */
export const instantiateCase = (c) => outcome.instantiateCase(c, compileFixture);

/** Runs a case (outcome.mjs runCase) in this Node. */
export const runCase = (c) => outcome.runCase(c, { compile: compileFixture, runCommand: runCommandCase });

// `cmbridge run` of a command in a child process: what a user types, with its stdio.
async function runCommandCase(c) {
  const spec = typeof c.command === 'function' ? await c.command() : c.command;
  const scratch = spec.scratch ? await mkdtemp(path.join(os.tmpdir(), 'cmbridge-real-')) : null;
  try {
    await runCommandSpec(c, spec, scratch);
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** What a case's check sees of its scratch directory (tests/real/cases/p3-wasi.mjs withScratchDir). */
const dirView = (dir) => ({
  list: () => readdir(dir),
  readText: (name) => readFile(path.join(dir, name), 'utf8'),
  size: async (name) => (await stat(path.join(dir, name))).size,
});

async function runCommandSpec(c, spec, scratch) {
  const { args = [], argv0, env = {}, stdin = '', exitCode = 0, stdout, stderr } = spec;
  const dirs = [...(spec.dirs ?? []), ...(scratch ? [`${scratch}::/`] : [])];
  const cliArgs = ['run'];
  if (argv0 !== undefined) cliArgs.push('--argv0', argv0);
  for (const d of dirs) cliArgs.push('--dir', d);
  for (const [k, v] of Object.entries(env)) cliArgs.push('--env', `${k}=${v}`);
  cliArgs.push(path.join(realRoot, c.fixture), ...args);
  const result = await runNode([cli, ...cliArgs], { stdin, timeout: c.timeout ?? 30000 });
  const where = `cmbridge ${cliArgs.join(' ')}`;
  assert.equal(result.code, exitCode, `${where}: exit code ${result.code}, expected ${exitCode}\nstderr: ${result.stderr.slice(0, 2000)}`);
  checkText(result.stdout, stdout, `${where}: stdout`);
  checkText(result.stderr, stderr, `${where}: stderr`);
  await spec.check?.(result, scratch ? dirView(scratch) : undefined);
}

function checkText(actual, expected, what) {
  if (expected === undefined) return;
  if (expected instanceof RegExp) assert.match(actual, expected, what);
  else assert.equal(actual, expected, what);
}

/** Runs this Node with `args`; resolves to { code, stdout, stderr } (strings). */
export function runNode(args, { stdin = '', timeout = 30000, execPath = process.execPath } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out after ${timeout} ms: node ${args.join(' ')}`)); }, timeout);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {});  // a command that never reads its stdin
    child.stdin.end(stdin);
  });
}

