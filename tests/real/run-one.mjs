// Runs the cases whose fixture path contains each argument and prints each outcome with
// its detail: the quick loop while writing a case or fixing what one found.
//   node tests/real/run-one.mjs runtime/numbers p3/yield
import { loadCases } from './cases.mjs';
import { errorText, runCase } from './harness.mjs';

const wanted = process.argv.slice(2);
const cases = (await loadCases()).filter((c) => wanted.length === 0 || wanted.some((w) => c.fixture.includes(w)));
for (const c of cases) {
  const result = await runCase(c);
  console.log(`${result.outcome.padEnd(9)} ${c.fixture}${c.name ? ` (${c.name})` : ''}${result.detail ? `\n          ${result.detail.split('\n').join('\n          ')}` : ''}`);
  if (result.error?.stack && process.env.REAL_STACK) console.log(result.error.stack);
}
