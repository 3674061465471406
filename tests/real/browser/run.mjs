// In the page: runs the cases of the given case files (tests/real/cases/) that need no
// Node (no `node` reason), fetching fixtures from /real-components/ (served from the
// real-components folder), and returns [{ fixture, name, blocks, outcome, detail }]. Commands of
// WASI 0.3 run with cmbridge/wasi's runCommand and the page's own streams, as a page would
// run one: stdout and stderr into WritableStreams, a scratch directory in memory. WASI 0.2
// commands are the CLI's (their cases use `--invoke` and the process's stdio): left out.
import assert from 'node:assert/strict';
import { Component } from '/js/index.mjs';
import { MemoryDirectory, runCommand } from '/js/wasi/index.mjs';
import { commandExport } from '/js/wasi/command.mjs';
import { runCase } from '/tests/real/outcome.mjs';

const compiled = new Map();
const compile = (fixture) => {
  if (!compiled.has(fixture)) compiled.set(fixture, Component.compile(fetch(`/real-components/${fixture}`)));
  return compiled.get(fixture);
};

/** A WritableStream that collects UTF-8 text. */
function textSink() {
  const decoder = new TextDecoder();
  const sink = { text: '' };
  sink.stream = new WritableStream({
    write(chunk) { sink.text += decoder.decode(chunk, { stream: true }); },
    close() { sink.text += decoder.decode(); },
  });
  return sink;
}

function checkText(actual, expected, what) {
  if (expected === undefined) return;
  if (expected instanceof RegExp) assert.match(actual, expected, what);
  else assert.equal(actual, expected, what);
}

async function runCommandInPage(c) {
  const spec = typeof c.command === 'function' ? await c.command() : c.command;
  const { args = [], argv0, env = {}, stdin = '', exitCode = 0, stdout, stderr } = spec;
  if (spec.dirs?.length) throw new Error('a case with host directories (`dirs`) cannot run in a page');
  const scratch = spec.scratch ? new MemoryDirectory() : null;
  const out = textSink();
  const err = textSink();
  const code = await runCommand(await compile(c.fixture), {
    args: [argv0 ?? c.fixture.slice(c.fixture.lastIndexOf('/') + 1), ...args],
    env,
    stdin,
    stdout: out.stream,
    stderr: err.stream,
    ...(scratch ? { preopens: { '/': scratch } } : {}),
  });
  const result = { code, stdout: out.text, stderr: err.text };
  assert.equal(code, exitCode, `exit code ${code}, expected ${exitCode}\nstderr: ${err.text.slice(0, 2000)}`);
  checkText(out.text, stdout, 'stdout');
  checkText(err.text, stderr, 'stderr');
  await spec.check?.(result, scratch && {
    list: () => scratch.list(),
    readText: (name) => scratch.readText(name),
    size: (name) => scratch.readFile(name)?.length,
  });
}

async function isWasiP3Command(fixture) {
  try {
    return /@0\.3\./.test(commandExport(await compile(fixture)) ?? '');
  } catch {
    return false;  // not compiled here: no command of ours to run
  }
}

export async function runCases(caseFiles) {
  const results = [];
  for (const file of caseFiles) {
    const { default: cases } = await import(`/tests/real/cases/${file}`);
    for (const c of cases) {
      if (c.node) continue;
      if (c.command && !(await isWasiP3Command(c.fixture))) continue;
      const timeout = c.timeout ?? 30000;
      let timer;
      const { outcome, detail } = await Promise.race([
        runCase(c, { compile, runCommand: runCommandInPage }),
        new Promise((resolve) => { timer = setTimeout(() => resolve({ outcome: 'failed', detail: `no outcome after ${timeout} ms` }), timeout); }),
      ]);
      clearTimeout(timer);
      results.push({ fixture: c.fixture, name: c.name ?? null, blocks: c.blocks === true, outcome, detail: detail ?? null });
    }
  }
  return results;
}
