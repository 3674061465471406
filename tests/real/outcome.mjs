// Runs one real-toolchain component (a "case") and classifies what happened: the part that
// runs alike in Node (harness.mjs) and in a browser page (browser-page.mjs). Where the
// component comes from (`compile(fixture)`) and how a command runs are the caller's.
//
// The components live outside the repository, in ../shared/real-components (SOURCE.md
// there says where each comes from); CMBRIDGE_REAL_COMPONENTS names another copy.
//
// A case (tests/real/cases/*.mjs export arrays of them) is a plain object:
//   fixture   path of the .wasm, relative to the real-components folder
//   imports   (host) => imports object: the host functions the component's own test
//             interfaces need; `host.calls` is an array a case may record into
//   wasi      true, or WASI options ({ args, env, preopens }), or an async function
//             giving them: WASI 0.2/0.3 imports as the component asks (cmbridge/wasi's
//             wasiImportsFor), under `imports`
//   link      { 'import name': { fixture, wasi?, imports? } }: instantiate that component
//             first and pass its export of the same name as this import (caller/callee
//             pairs, linked by the host)
//   options   instantiate()'s options, e.g. { suspendingImports: [...] } (with blocks: true)
//   run       async ({ exports, component, host, instantiate }) => { ...assertions... }
//             (`instantiate(case)` instantiates another case's fixture the same way, for
//             linking by hand; a trap no call waited for, in any of them, fails the case
//             unless `expect` names it)
//   command   instead of run: { args?, argv0?, env?, dirs?, scratch?, stdin?, exitCode?, stdout?, stderr? }
//             in Node, runs `cmbridge run` in a child process; in a page, runCommand
//             with the page's streams (browser/run.mjs; `dirs` are Node's alone).
//             stdout/stderr are a string (exact) or a RegExp; exitCode defaults to 0.
//             `scratch: true` preopens a fresh empty directory as `/` (a temporary one in
//             Node, a MemoryDirectory in a page); `check(result, dir)` may then assert
//             more, `dir` a view of it: list(), readText(name), size(name). May be an
//             (async) function returning that object
//   expect    { trap: RegExp, because: 'one line' }: the component must trap with a
//             message matching `trap`, as the spec requires (a toolchain older than a
//             spec rule): the outcome is then "trapping as the spec requires"
//   blocks    true: the case blocks a guest stack (JSPI, or Asyncify where the engine lacks
//             it); `npm test` runs these again under Node 26, where JSPI does it
//   skip      'one line': a reason outside our control (listed, never silent)
//   later     { issue: N, why: 'one line' }: work another open issue owns (wasi:http,
//             wasi:sockets); listed with the issue, never silent
//   node      'one line': why the case needs Node itself; the browser run leaves it out
//             (command cases are Node's too)
//   timeout   ms (default 30000)
import { wasiImportsFor } from '../../js/wasi/command.mjs';

export const OUTCOMES = ['passed', 'spec-trap', 'failed', 'skipped', 'later'];

/** The folder a fixture is counted under in the table (its path less the file name). */
export function folderOf(fixture) {
  return fixture.includes('/') ? fixture.slice(0, fixture.lastIndexOf('/')) : '.';
}

/**
 * Instantiates a case's fixture with its host imports, WASI and linked callees; resolves to
 * { exports, component, host }. `compile(fixture)` resolves to its Component.
 */
// `traps` collects the traps no call waited for (instantiate's onTrap), of this instance and
// of the ones linked to it: runCase counts them as the case's failure.
export async function instantiateCase(c, compile, traps = []) {
  const component = await compile(c.fixture);
  const host = { calls: [], traps };
  const imports = {};
  const wasi = typeof c.wasi === 'function' ? await c.wasi() : c.wasi;
  if (wasi) Object.assign(imports, await wasiImportsFor(component, wasi === true ? {} : wasi));
  for (const [name, callee] of Object.entries(c.link ?? {})) {
    const linked = await instantiateCase(callee, compile, traps);
    if (!(name in linked.exports)) throw new Error(`linked component ${callee.fixture} exports no \`${name}\``);
    imports[name] = linked.exports[name];
  }
  if (c.imports) Object.assign(imports, c.imports(host));
  const { exports } = await component.instantiate(imports, { onTrap: (e) => traps.push(e), ...c.options });
  return { exports, component, host, instantiate: (other) => instantiateCase(other, compile, traps) };
}

/**
 * Runs a case (`compile(fixture)`: its Component; `runCommand(c)`: runs a `command` case, or
 * undefined where there is no CLI); resolves to { outcome, detail } with outcome one of OUTCOMES. Never rejects:
 * an unexpected error is a 'failed' outcome whose detail is the error.
 */
export async function runCase(c, { compile, runCommand }) {
  if (c.skip) return { outcome: 'skipped', detail: c.skip };
  if (c.later) return { outcome: 'later', detail: `issue ${c.later.issue}: ${c.later.why}` };
  let error;
  try {
    if (c.command) {
      if (!runCommand) return { outcome: 'skipped', detail: 'a command run by the CLI: Node only' };
      await runCommand(c);
    } else {
      const context = await instantiateCase(c, compile);
      await c.run?.(context);
      // A trap after the calls returned (work after task.return) is the case's outcome too.
      if (context.host.traps.length > 0) throw context.host.traps[0];
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
