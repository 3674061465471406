// The spec's WAST conformance suite in headless Chromium: the same scripts as
// tests/conformance/conformance.test.mjs, parsed and turned into binaries in Node as
// there, but compiled, instantiated and called by the package in a page
// (tests/conformance/browser-api.mjs). Chromium's V8 has what Node 20's lacks
// (multi-memory, exception handling, JSPI), so the cases the Node run skips for that
// reason must pass here.
//
//   node --test tests/browser/conformance.test.mjs
//   CM_CONFORMANCE_DIR, CM_WAST_ONLY, CM_WAST_VERBOSE as for the Node run.
//
// One browser and one page for the whole run; the page is reloaded before every script so
// that nothing one script leaves behind (a pending call, a hung guest) reaches the next.
import { after, before, describe, test } from 'node:test';
import { chromiumMissing } from '../helpers/browser.mjs';
import { openBrowserSession } from '../conformance/browser-api.mjs';
import { JCO_UNPARSEABLE, isRequired, applyPending } from '../conformance/expectations.mjs';
import { runScript } from '../conformance/wast-runner.mjs';
import {
  Summary, byDirectory, findScripts, judgeScript, notYetInWasmtime, readScript, scriptTitle, suiteDir, suiteMissing,
} from '../conformance/suite.mjs';

const unavailable = chromiumMissing || suiteMissing;
const summary = new Summary();
let session;

before(async () => {
  if (!unavailable) session = await openBrowserSession();
});
after(() => session?.close());

if (unavailable) {
  test('WAST conformance suite in Chromium', { skip: unavailable }, () => {});
} else {
  const nyi = notYetInWasmtime();
  for (const [dir, files] of byDirectory(findScripts())) {
    describe(`Chromium: ${dir}`, () => {
      for (const file of files) {
        // Chromium has JSPI: the scripts that block guest stacks must pass here too.
        const required = isRequired(file);
        test(scriptTitle(file, { required, nyi }), async (t) => {
          const { api, apiError } = await session.load();
          const outcome = await runScript(readScript(file), { api, apiError, jcoUnparseable: JCO_UNPARSEABLE[file] });
          applyPending(file, outcome);
          summary.record(file, outcome.counts, required);
          for (const message of session.consoleErrors) t.diagnostic(`page console: ${message.slice(0, 300)}`);
          judgeScript(t, outcome, { required });
        });
      }
    });
  }

  test('summary (Chromium)', (t) => {
    for (const line of summary.lines(`WAST conformance (Chromium${session?.browserVersion ? ' ' + session.browserVersion : ''}) — ${suiteDir}`)) {
      t.diagnostic(line);
    }
  });
}
