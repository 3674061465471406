// Runs one real-toolchain component (a "case") and classifies what happened, for
// tests/real/real.test.mjs and tests/real/run-one.mjs.
//
// The components live outside the repository, in ../shared/real-components (SOURCE.md
// there says where each comes from); CMBRIDGE_REAL_COMPONENTS names another copy.
//
// A case (tests/real/cases/*.mjs export arrays of them) is a plain object:
//   fixture   path of the .wasm, relative to the real-components folder
//   imports   (host) => imports object: the host functions the component's own test
//             interfaces need; `host.calls` is an array a case may record into
//   wasi      true, or WASI options ({ args, env, preopens }): WASI 0.2/0.3 imports as
//             the component asks (cmbridge/wasi's wasiImportsFor), under `imports`
//   link      { 'import name': { fixture, wasi?, imports? } }: instantiate that component
//             first and pass its export of the same name as this import (caller/callee
//             pairs, linked by the host)
//   options   instantiate()'s options, e.g. { suspendingImports: [...] } (with needs: 'jspi')
//   run       async ({ exports, component, host }) => { ...node:assert assertions... }
//   command   instead of run: { args?, argv0?, env?, dirs?, stdin?, exitCode?, stdout?, stderr? }
//             runs `cmbridge run` in a child process; stdout/stderr are a string (exact)
//             or a RegExp; exitCode defaults to 0. May be an (async) function returning
//             that object, to make a directory for `dirs` first; `check(result)` may then
//             assert more (files written), and `cleanup()` runs at the end
//   expect    { trap: RegExp, because: 'one line' }: the component must trap with a
//             message matching `trap`, as the spec requires (a toolchain older than a
//             spec rule): the outcome is then "trapping as the spec requires"
//   needs     'jspi': the case blocks a guest stack, so it is skipped where
//             WebAssembly.Suspending is absent (Node 20-24); run under Node 26 and Chromium
//   skip      'one line': a reason outside our control (listed, never silent)
//   later     { issue: N, why: 'one line' }: work another open issue owns (wasi:http,
//             wasi:sockets); listed with the issue, never silent
//   timeout   ms (default 30000)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { Component } from '../../js/index.mjs';
import { wasiImportsFor } from '../../js/wasi/command.mjs';

// Toolchains emit extended constant expressions, which Node 20's V8 has only behind a
// flag (README, "Running WASI components"); the CLI sets it too.
if (Number(process.versions.node.split('.')[0]) < 22) v8.setFlagsFromString('--experimental-wasm-extended-const');

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const realRoot = path.resolve(process.env.CMBRIDGE_REAL_COMPONENTS ?? path.join(repoRoot, '../shared/real-components'));
export const realMissing = existsSync(realRoot) ? false : `real components not found at ${realRoot} (set CMBRIDGE_REAL_COMPONENTS)`;
export const hasJspi = typeof WebAssembly.Suspending === 'function';
const cli = path.join(repoRoot, 'js/cli.mjs');

export const OUTCOMES = ['passed', 'spec-trap', 'failed', 'skipped', 'later'];

/** The folder a fixture is counted under in the table (its path less the file name). */
export function folderOf(fixture) {
  return fixture.includes('/') ? fixture.slice(0, fixture.lastIndexOf('/')) : '.';
}

const compiled = new Map();
/** Compiles a fixture once per process. */
export function compileFixture(fixture) {
  if (!compiled.has(fixture)) compiled.set(fixture, Component.compile(readFileSync(path.join(realRoot, fixture))));
  return compiled.get(fixture);
}

/** Instantiates a fixture with its host imports, WASI and linked callees; resolves to { exports, component, host }. */
export async function instantiateCase(c) {
  const component = await compileFixture(c.fixture);
  const host = { calls: [] };
  const imports = {};
  if (c.wasi) Object.assign(imports, await wasiImportsFor(component, c.wasi === true ? {} : c.wasi));
  for (const [name, callee] of Object.entries(c.link ?? {})) {
    const linked = await instantiateCase(callee);
    if (!(name in linked.exports)) throw new Error(`linked component ${callee.fixture} exports no \`${name}\``);
    imports[name] = linked.exports[name];
  }
  if (c.imports) Object.assign(imports, c.imports(host));
  const { exports } = await component.instantiate(imports, c.options);
  return { exports, component, host };
}

/**
 * Runs a case; resolves to { outcome, detail } with outcome one of OUTCOMES. Never rejects:
 * an unexpected error is a 'failed' outcome whose detail is the error.
 */
export async function runCase(c) {
  if (c.skip) return { outcome: 'skipped', detail: c.skip };
  if (c.later) return { outcome: 'later', detail: `issue ${c.later.issue}: ${c.later.why}` };
  if (c.needs === 'jspi' && !hasJspi) return { outcome: 'skipped', detail: 'blocks a guest stack: needs JSPI (WebAssembly.Suspending), absent in this engine; runs in Node 26 and Chromium' };
  let error;
  try {
    if (c.command) await runCommandCase(c);
    else {
      const context = await instantiateCase(c);
      await c.run?.(context);
    }
  } catch (e) {
    error = e;
  }
  if (c.expect?.trap) {
    if (!error) return { outcome: 'failed', detail: `expected a trap matching ${c.expect.trap} (${c.expect.because}), but it ran to the end` };
    const text = errorText(error);
    if (c.expect.trap.test(text)) return { outcome: 'spec-trap', detail: c.expect.because, error };
    return { outcome: 'failed', detail: `expected a trap matching ${c.expect.trap}, got: ${text}`, error };
  }
  if (error) return { outcome: 'failed', detail: errorText(error), error };
  return { outcome: 'passed' };
}

/** An error's message with its causes, one line each. */
export function errorText(e) {
  const parts = [];
  for (let x = e, depth = 0; x !== undefined && depth < 5; x = x?.cause, depth++) {
    parts.push(x instanceof Error ? `${x.name}: ${x.message}` : String(x));
  }
  return parts.join('\n  caused by: ');
}

// `cmbridge run` of a command in a child process: what a user types, with its stdio.
async function runCommandCase(c) {
  const spec = typeof c.command === 'function' ? await c.command() : c.command;
  try {
    await runCommandSpec(c, spec);
  } finally {
    await spec.cleanup?.();
  }
}

async function runCommandSpec(c, spec) {
  const { args = [], argv0, env = {}, dirs = [], stdin = '', exitCode = 0, stdout, stderr } = spec;
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
  await spec.check?.(result);
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

/** The summary table: a row per folder, counts per outcome, then the total. */
export function summaryTable(results) {
  const rows = new Map();
  for (const { fixture, outcome } of results) {
    const folder = folderOf(fixture);
    if (!rows.has(folder)) rows.set(folder, Object.fromEntries(OUTCOMES.map((o) => [o, 0])));
    rows.get(folder)[outcome]++;
  }
  const total = Object.fromEntries(OUTCOMES.map((o) => [o, results.filter((r) => r.outcome === o).length]));
  const header = ['folder', 'passed', 'trapping as the spec requires', 'failed', 'skipped', 'another issue'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const [folder, n] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| ${folder} | ${OUTCOMES.map((o) => n[o]).join(' | ')} |`);
  }
  lines.push(`| **all ${results.length}** | ${OUTCOMES.map((o) => `**${total[o]}**`).join(' | ')} |`);
  return lines.join('\n');
}
