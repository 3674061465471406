// The spec's WAST conformance suite in a browser: the same scripts as
// tests/conformance/conformance.test.mjs, parsed and turned into binaries in Node as
// there, but compiled, instantiated and called by the package in a page
// (tests/conformance/browser-api.mjs). Headless Chromium by default; Firefox or WebKit
// under CMBRIDGE_TEST_BROWSER=firefox or webkit (helpers/browser.mjs). Chromium's and
// Firefox's engines have what Node 20's lacks (multi-memory, exception handling), so the
// cases the Node run skips for that reason must pass there; WebKit lacks multi-memory,
// found by the page itself (browserEngineGap). The scripts that block guest stacks pass
// everywhere: with JSPI, or Asyncify in WebKit.
//
//   node --test tests/browser/conformance.test.mjs
//   CMBRIDGE_TEST_BROWSER=webkit node --test tests/browser/conformance.test.mjs
//   CM_CONFORMANCE_DIR, CM_WAST_ONLY, CM_WAST_VERBOSE as for the Node run.
//
// One browser and one page for the whole run; the page is reloaded before every script so
// that nothing one script leaves behind (a pending call, a hung guest) reaches the next.
import { after, before, describe, test } from 'node:test';
import { testBrowser } from '../helpers/browser.mjs';
import { openBrowserSession } from '../conformance/browser-api.mjs';
import { JCO_UNPARSEABLE, browserEngineGap, isRequired, applyPending } from '../conformance/expectations.mjs';
import { runScript } from '../conformance/wast-runner.mjs';
import {
  Summary, byDirectory, findScripts, judgeScript, notYetInWasmtime, readScript, scriptTitle, suiteDir, suiteMissing,
} from '../conformance/suite.mjs';

const unavailable = testBrowser.missing || suiteMissing;
const browserName = testBrowser.name;
const summary = new Summary();
let session;

before(async () => {
  if (!unavailable) session = await openBrowserSession();
});
after(() => session?.close());

if (unavailable) {
  test(`WAST conformance suite in ${browserName}`, { skip: unavailable }, () => {});
} else {
  const nyi = notYetInWasmtime();
  for (const [dir, files] of byDirectory(findScripts())) {
    describe(`${browserName}: ${dir}`, () => {
      for (const file of files) {
        const required = isRequired(file);
        test(scriptTitle(file, { required, nyi }), async (t) => {
          const { api, apiError } = await session.load();
          const outcome = await runScript(readScript(file), {
            api, apiError, jcoUnparseable: JCO_UNPARSEABLE[file],
            engineGap: (line, error) => browserEngineGap(file, line, error, session.features ?? {}),
          });
          applyPending(file, outcome);
          summary.record(file, outcome.counts, required);
          for (const message of session.consoleErrors) t.diagnostic(`page console: ${message.slice(0, 300)}`);
          judgeScript(t, outcome, { required });
        });
      }
    });
  }

  test(`summary (${browserName})`, (t) => {
    for (const line of summary.lines(`WAST conformance (${browserName}${session?.browserVersion ? ' ' + session.browserVersion : ''}) — ${suiteDir}`)) {
      t.diagnostic(line);
    }
  });
}
