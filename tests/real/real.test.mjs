// Components built by real toolchains (../shared/real-components, SOURCE.md there): each
// runs with a host and assertions of our own (tests/real/cases/*.mjs), and the outcome is
// one of: passed; trapping as the spec requires (a toolchain older than a spec rule);
// failed; skipped (a reason outside our control, stated); another issue's work (listed).
// A table per folder is printed at the end; the README shows it.
//
//   CMBRIDGE_REAL_COMPONENTS=/path   another copy of the components
//   REAL_ONLY=runtime/               only fixtures whose path contains this
//   REAL_BLOCKS=1                    only the cases that block a guest stack (npm test runs
//                                    these again under Node 26, with JSPI; Node 20 takes Asyncify)
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { allFixtures, loadCases } from './cases.mjs';
import { realMissing, runCase, summaryTable } from './harness.mjs';

const only = process.env.REAL_ONLY;
const blocking = process.env.REAL_BLOCKS === '1';
const cases = realMissing ? [] : (await loadCases()).filter((c) => (!only || c.fixture.includes(only)) && (!blocking || c.blocks === true));
const results = [];

describe('real components', { skip: realMissing }, () => {
  test('every fixture has a case', { skip: only || blocking ? 'REAL_ONLY or REAL_BLOCKS is set' : false }, () => {
    const covered = new Set(cases.map((c) => c.fixture));
    assert.deepEqual(allFixtures().filter((f) => !covered.has(f)), [], 'fixtures without a case in tests/real/cases/');
  });

  for (const c of cases) {
    const title = `${c.fixture}${c.name ? ` (${c.name})` : ''}`;
    test(title, { timeout: (c.timeout ?? 30000) + 5000 }, async (t) => {
      const result = await runCase(c);
      results.push({ fixture: c.fixture, ...result });
      if (result.outcome === 'skipped' || result.outcome === 'later') t.skip(result.detail);
      else if (result.outcome === 'spec-trap') t.diagnostic(`traps as the spec requires: ${result.detail}`);
      else if (result.outcome === 'failed') assert.fail(result.detail);
    });
  }

  after(() => {
    if (results.length) console.log(`\nreal components (${process.version}):\n${summaryTable(results)}`);
  });
});
