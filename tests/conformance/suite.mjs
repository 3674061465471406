// What the Node run (conformance.test.mjs) and the Chromium run
// (tests/browser/conformance.test.mjs) share: where the suite is, which scripts to run,
// how one script's outcome is reported and judged, and the summary table.
//
//   CM_CONFORMANCE_DIR=/path/to/test    use another copy of the suite
//   CM_WAST_ONLY=values/                only scripts whose path contains this
//   CM_WAST_VERBOSE=1                   list every failed/skipped command
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const suiteDir = path.resolve(process.env.CM_CONFORMANCE_DIR ?? path.join(repoRoot, '../shared/conformance/component-model/test'));
export const suiteMissing = existsSync(suiteDir) ? false : `suite not found at ${suiteDir} (set CM_CONFORMANCE_DIR)`;
export const verbose = process.env.CM_WAST_VERBOSE === '1';
const only = process.env.CM_WAST_ONLY;
const SHOWN_PER_FILE = 8;

/** Every .wast under the suite (paths relative to it, `/`-separated), CM_WAST_ONLY applied. */
export function findScripts(dir = suiteDir) {
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

export function readScript(file) {
  return readFileSync(path.join(suiteDir, file), 'utf8');
}

export function directoryOf(file) {
  return file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
}

/** The scripts grouped by directory, in order: Map dir -> [file]. */
export function byDirectory(files) {
  const out = new Map();
  for (const f of files) out.set(directoryOf(f), [...(out.get(directoryOf(f)) ?? []), f]);
  return out;
}

/** The suite's own list of scripts Wasmtime does not pass yet (nyi.txt), as a Set. */
export function notYetInWasmtime() {
  const nyiPath = path.join(suiteDir, 'nyi.txt');
  if (!existsSync(nyiPath)) return new Set();
  return new Set(readFileSync(nyiPath, 'utf8').split('\n').map((l) => l.trim().replace(/^\.\//, '')).filter((l) => l && !l.startsWith('#')));
}

/** The test name of a script: its path, tagged informational / nyi. */
export function scriptTitle(file, { required, nyi }) {
  const tags = [required ? '' : 'informational', nyi.has(file) ? 'nyi in Wasmtime' : ''].filter(Boolean);
  return `${file}${tags.length ? ` (${tags.join(', ')})` : ''}`;
}

/**
 * Reports one script's results as diagnostics of test context `t` (counts, skip reasons,
 * the first failures) and, when the script is required, fails the test on any failure.
 */
export function judgeScript(t, { results, counts }, { required }) {
  t.diagnostic(`passed ${counts.passed}, failed ${counts.failed}, skipped ${counts.skipped}`);
  const notable = results.filter((r) => r.status !== 'passed' || (verbose && r.note));
  if (!verbose) {
    const skippedReasons = new Map();
    for (const r of notable) if (r.status === 'skipped') skippedReasons.set(r.reason, (skippedReasons.get(r.reason) ?? 0) + 1);
    for (const [reason, n] of skippedReasons) t.diagnostic(`skipped ${n}× : ${reason}`);
  }
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
}

/** Passed / failed / skipped per directory, printed as a table at the end of a run. */
export class Summary {
  constructor() {
    this.rows = new Map(); // directory -> { files, passed, failed, skipped, requiredFailing }
  }

  record(file, counts, required) {
    const dir = directoryOf(file);
    const row = this.rows.get(dir) ?? { files: 0, passed: 0, failed: 0, skipped: 0, requiredFailing: 0 };
    row.files++;
    row.passed += counts.passed;
    row.failed += counts.failed;
    row.skipped += counts.skipped;
    if (required && counts.failed > 0) row.requiredFailing++;
    this.rows.set(dir, row);
  }

  /** The table as lines of text, under `title`. */
  lines(title) {
    const header = ['directory', 'files', 'passed', 'failed', 'skipped', 'required files failing'];
    const rows = [...this.rows.entries()].map(([dir, r]) => [dir, r.files, r.passed, r.failed, r.skipped, r.requiredFailing]);
    const total = rows.reduce((t, r) => t.map((v, i) => (i === 0 ? 'total' : v + r[i])), ['total', 0, 0, 0, 0, 0]);
    const all = [header, ...rows, total].map((r) => r.map(String));
    const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
    const line = (r) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
    const sep = widths.map((w) => '-'.repeat(w)).join('  ');
    return [title, line(all[0]), sep, ...all.slice(1, -1).map(line), sep, line(all[all.length - 1])];
  }
}
