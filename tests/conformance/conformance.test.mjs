// The Component Model spec's WAST conformance suite, run against js/index.mjs in Node.
// (tests/browser/conformance.test.mjs runs the same scripts in headless Chromium.)
//
//   node --test tests/conformance/                  run every script
//   CM_WAST_DRY=1 node --test tests/conformance/    parse + jco-convert only (no engine)
//   CM_CONFORMANCE_DIR=/path/to/test                use another copy of the suite
//   CM_WAST_ONLY=values/                            only scripts whose path contains this
//   CM_WAST_VERBOSE=1                               list every failed/skipped command
//   CM_WAST_REPORT=out.json                         write every result as JSON
//   CM_WAST_API=jco                                 run against jco instead (peer baseline,
//                                                   ./jco-api.mjs), or a path to a module
//                                                   exporting { Component }
//
// One subtest per script, grouped per directory; a table of passed/failed/skipped per
// directory is printed at the end. Which scripts must pass is set in expectations.mjs;
// so are the components Node's V8 cannot compile (a core wasm feature it lacks), which
// are reported as skipped with that reason when, and only when, that is why they fail.

import { describe, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { JCO_UNPARSEABLE, isRequired, nodeEngineGap, applyPending } from './expectations.mjs';
import { runScript } from './wast-runner.mjs';
import {
  Summary, byDirectory, findScripts, judgeScript, notYetInWasmtime, readScript, scriptTitle, suiteDir, suiteMissing,
} from './suite.mjs';

const dryRun = process.env.CM_WAST_DRY === '1' || process.argv.includes('--dry-run');

// The engine is loaded once; if it cannot be, every script still runs and reports why.
let apiPromise;
function apiModule() {
  const choice = process.env.CM_WAST_API;
  if (!choice) return new URL('../../js/index.mjs', import.meta.url).href;
  if (choice === 'jco') return new URL('./jco-api.mjs', import.meta.url).href;
  return pathToFileURL(path.resolve(choice)).href;
}
function loadApi() {
  const url = apiModule();
  apiPromise ??= import(url).then(
    (api) => ({ api, apiError: undefined }),
    (e) => ({ api: null, apiError: `cannot load ${url}: ${e.message}` }),
  );
  return apiPromise;
}

const summary = new Summary();
const report = [];

if (suiteMissing) {
  test('WAST conformance suite', { skip: suiteMissing }, () => {});
} else {
  const nyi = notYetInWasmtime();
  for (const [dir, files] of byDirectory(findScripts())) {
    describe(dir, () => {
      for (const file of files) {
        // In a dry run every script must convert cleanly; otherwise only the required ones
        // must pass.
        const required = dryRun || isRequired(file);
        test(scriptTitle(file, { required, nyi }), async (t) => {
          const { api, apiError } = dryRun ? { api: null, apiError: undefined } : await loadApi();
          const outcome = await runScript(readScript(file), {
            dryRun,
            api,
            apiError,
            jcoUnparseable: JCO_UNPARSEABLE[file],
            // Only our engine runs on Node's V8; another API (jco) is judged as it is.
            engineGap: process.env.CM_WAST_API ? undefined : (line, error) => nodeEngineGap(file, line, error),
          });
          applyPending(file, outcome);
          summary.record(file, outcome.counts, required);
          report.push({ file, required, counts: outcome.counts, results: outcome.results });
          judgeScript(t, outcome, { required });
        });
      }
    });
  }

  // Top-level tests run in order, so this one comes last and sees every result. The
  // table goes out as TAP diagnostics, after the per-script results.
  test('summary', (t) => {
    const what = dryRun ? 'dry run: parse + jco only' : process.env.CM_WAST_API ? `API ${process.env.CM_WAST_API}` : 'engine';
    for (const line of summary.lines(`WAST conformance (${what}, Node ${process.version}) — ${suiteDir}`)) t.diagnostic(line);
    if (process.env.CM_WAST_REPORT) {
      writeFileSync(process.env.CM_WAST_REPORT, JSON.stringify({ dryRun, suiteDir, scripts: report }, null, 2));
      t.diagnostic(`results written to ${process.env.CM_WAST_REPORT}`);
    }
  });
}
