// The Component Model spec's WAST conformance suite, run against js/index.mjs.
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
// directory is printed at the end. Which scripts must pass is set in expectations.mjs.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { JCO_UNPARSEABLE, isRequired } from './expectations.mjs';
import { runScript } from './wast-runner.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const suiteDir = path.resolve(process.env.CM_CONFORMANCE_DIR ?? path.join(repoRoot, '../shared/conformance/component-model/test'));
const dryRun = process.env.CM_WAST_DRY === '1' || process.argv.includes('--dry-run');
const verbose = process.env.CM_WAST_VERBOSE === '1';
const only = process.env.CM_WAST_ONLY;
const SHOWN_PER_FILE = 8;

function findScripts(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.wast')) out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.filter((f) => !only || f.includes(only));
}

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

const summary = new Map(); // directory -> { files, passed, failed, skipped, requiredFailures }
const report = [];

function record(file, counts, required) {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
  const row = summary.get(dir) ?? { files: 0, passed: 0, failed: 0, skipped: 0, requiredFailing: 0 };
  row.files++;
  row.passed += counts.passed;
  row.failed += counts.failed;
  row.skipped += counts.skipped;
  if (required && counts.failed > 0) row.requiredFailing++;
  summary.set(dir, row);
}

// The summary table, one line per directory, as lines of text.
function summaryTable() {
  const header = ['directory', 'files', 'passed', 'failed', 'skipped', 'required files failing'];
  const rows = [...summary.entries()].map(([dir, r]) => [dir, r.files, r.passed, r.failed, r.skipped, r.requiredFailing]);
  const total = rows.reduce((t, r) => t.map((v, i) => (i === 0 ? 'total' : v + r[i])), ['total', 0, 0, 0, 0, 0]);
  const all = [header, ...rows, total].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  const title = `WAST conformance (${dryRun ? 'dry run: parse + jco only' : process.env.CM_WAST_API ? `API ${process.env.CM_WAST_API}` : 'engine'}) — ${suiteDir}`;
  return [title, line(all[0]), sep, ...all.slice(1, -1).map(line), sep, line(all[all.length - 1])];
}

if (!existsSync(suiteDir)) {
  test('WAST conformance suite', { skip: `suite not found at ${suiteDir} (set CM_CONFORMANCE_DIR)` }, () => {});
} else {
  const scripts = findScripts(suiteDir);
  // The suite's own list of scripts Wasmtime does not pass yet: shown in the test name.
  const nyiPath = path.join(suiteDir, 'nyi.txt');
  const nyi = new Set(
    existsSync(nyiPath)
      ? readFileSync(nyiPath, 'utf8').split('\n').map((l) => l.trim().replace(/^\.\//, '')).filter((l) => l && !l.startsWith('#'))
      : [],
  );
  const byDir = new Map();
  for (const f of scripts) {
    const dir = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '.';
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }

  for (const [dir, files] of byDir) {
    describe(dir, () => {
      for (const file of files) {
        // In a dry run every script must convert cleanly; otherwise only the required ones
        // must pass.
        const required = dryRun || isRequired(file);
        const tags = [required ? '' : 'informational', nyi.has(file) ? 'nyi in Wasmtime' : ''].filter(Boolean);
        test(`${file}${tags.length ? ` (${tags.join(', ')})` : ''}`, async (t) => {
          const { api, apiError } = dryRun ? { api: null, apiError: undefined } : await loadApi();
          const source = readFileSync(path.join(suiteDir, file), 'utf8');
          const { results, counts } = await runScript(source, {
            dryRun,
            api,
            apiError,
            jcoUnparseable: JCO_UNPARSEABLE[file],
          });
          record(file, counts, required);
          report.push({ file, required, counts, results });

          t.diagnostic(`passed ${counts.passed}, failed ${counts.failed}, skipped ${counts.skipped}`);
          const notable = results.filter((r) => r.status !== 'passed' || (verbose && r.note));
          const skippedReasons = new Map();
          for (const r of notable) {
            if (r.status === 'skipped' && !verbose) {
              skippedReasons.set(r.reason, (skippedReasons.get(r.reason) ?? 0) + 1);
            }
          }
          for (const [reason, n] of skippedReasons) t.diagnostic(`skipped ${n}× : ${reason}`);
          const failures = results.filter((r) => r.status === 'failed');
          const shown = verbose ? notable : failures.slice(0, SHOWN_PER_FILE);
          for (const r of shown) {
            t.diagnostic(`line ${r.line} ${r.command}: ${r.status}${r.reason ? ' — ' + r.reason : ''}${r.note ? ' — note: ' + r.note : ''}`);
          }
          if (!verbose && failures.length > shown.length) {
            t.diagnostic(`… ${failures.length - shown.length} more failures (CM_WAST_VERBOSE=1 lists them all)`);
          }
          if (required) {
            assert.equal(
              counts.failed,
              0,
              `${counts.failed} command(s) failed; first: line ${failures[0]?.line} ${failures[0]?.command}: ${failures[0]?.reason}`,
            );
          }
        });
      }
    });
  }

  // Top-level tests run in order, so this one comes last and sees every result. The
  // table goes out as TAP diagnostics, after the per-script results.
  test('summary', (t) => {
    for (const line of summaryTable()) t.diagnostic(line);
    if (process.env.CM_WAST_REPORT) {
      writeFileSync(process.env.CM_WAST_REPORT, JSON.stringify({ dryRun, suiteDir, scripts: report }, null, 2));
      t.diagnostic(`results written to ${process.env.CM_WAST_REPORT}`);
    }
  });
}
