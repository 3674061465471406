// What a strict Content-Security-Policy (no 'unsafe-eval') costs: the same operations in
// two Node processes, one normal and one with --disallow-code-generation-from-strings,
// where `new Function` throws as it does under such a policy. There the engine starts with
// its strict glue (embind invokers as closures: js/engine/engine-strict.mjs) and scalar
// exports take the closure path instead of generated trampolines (js/codegen.mjs).
//
//   node tests/bench/strict-csp.bench.mjs        (npm run bench runs it)
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROUNDS = 7;

async function measureHere() {
  const { Component } = await import('../../js/index.mjs');
  const { codegenAllowed } = await import('../../js/codegen.mjs');
  const { componentBytes } = await import('../helpers/components.mjs');
  const { keeperBytes, keeperHost } = await import('../hostile/components.mjs');
  const bench = (await (await Component.compile(await componentBytes('bench'))).instantiate()).exports;
  const keeper = (await (await Component.compile(await keeperBytes())).instantiate(keeperHost().imports)).exports;
  const caller = (await (await Component.compile(await componentBytes('async-host-caller'))).instantiate({ 'fetch-value': (x) => x })).exports;
  const text = 'x'.repeat(1024);

  // Median ns per operation of `body(n)`, which does n of them.
  async function measure(body, n) {
    await body(Math.min(n, 1000));
    const samples = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = process.hrtime.bigint();
      await body(n);
      samples.push(Number(process.hrtime.bigint() - t0) / n);
    }
    return samples.sort((a, b) => a - b)[ROUNDS >> 1];
  }
  return {
    codegen: codegenAllowed(),
    rows: {
      'sync add(u32, u32)': await measure((n) => { let s = 0; for (let i = 0; i < n; i++) s = bench.add(i, 1); return s; }, 1e6),
      'sync echo(string), 1 KiB': await measure((n) => { let s = 0; for (let i = 0; i < n; i++) s = bench.echo(text).length; return s; }, 1e5),
      'resource: new R(), r.get(), dispose': await measure((n) => {
        for (let i = 0; i < n; i++) { const r = new keeper.R(i); r.get(); r[Symbol.dispose](); }
      }, 1e5),
      'async call with two host calls inside': await measure(async (n) => { for (let i = 0; i < n; i++) await caller.sum(i, 1); }, 2e4),
    },
  };
}

function measureIn(flags) {
  const run = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the ${flags.join(' ') || 'normal'} run failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

export async function run() {
  const normal = measureIn([]);
  const strict = measureIn(['--disallow-code-generation-from-strings']);
  if (!normal.codegen || strict.codegen) throw new Error('the two runs did not differ in code generation');
  console.log(`\n## Under a strict CSP (no 'unsafe-eval'; Node with --disallow-code-generation-from-strings), median of ${ROUNDS}, ns per operation\n`);
  console.log('| operation | normal | strict | strict / normal |');
  console.log('|---|---|---|---|');
  for (const [name, ns] of Object.entries(normal.rows)) {
    const s = strict.rows[name];
    console.log(`| ${name} | ${ns.toFixed(1)} | ${s.toFixed(1)} | ${(s / ns).toFixed(2)}x |`);
  }
}

if (process.argv.includes('--child')) {
  console.log(JSON.stringify(await measureHere()));
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
