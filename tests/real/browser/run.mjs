// In the page: runs the cases of the given case files (tests/real/cases/) whose `browser`
// is not false, fetching fixtures from /real-components/ (served from the real-components
// folder), and returns [{ fixture, name, outcome, detail }].
import { Component } from '/js/index.mjs';
import { runCase } from '/tests/real/outcome.mjs';

const compiled = new Map();
const compile = (fixture) => {
  if (!compiled.has(fixture)) compiled.set(fixture, Component.compile(fetch(`/real-components/${fixture}`)));
  return compiled.get(fixture);
};

export async function runCases(caseFiles) {
  const results = [];
  for (const file of caseFiles) {
    const { default: cases } = await import(`/tests/real/cases/${file}`);
    for (const c of cases) {
      if (c.command || c.node) continue;
      const timeout = c.timeout ?? 30000;
      let timer;
      const { outcome, detail } = await Promise.race([
        runCase(c, { compile }),
        new Promise((resolve) => { timer = setTimeout(() => resolve({ outcome: 'failed', detail: `no outcome after ${timeout} ms` }), timeout); }),
      ]);
      clearTimeout(timer);
      results.push({ fixture: c.fixture, name: c.name ?? null, outcome, detail: detail ?? null });
    }
  }
  return results;
}
