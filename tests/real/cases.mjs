// Every case of tests/real/cases/*.mjs, in fixture order, and the fixtures no case covers.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { realRoot } from './harness.mjs';

const casesDir = fileURLToPath(new URL('./cases/', import.meta.url));

export async function loadCases() {
  const all = [];
  for (const file of readdirSync(casesDir).filter((f) => f.endsWith('.mjs')).sort()) {
    const { default: cases } = await import(path.join(casesDir, file));
    all.push(...cases);
  }
  return all.sort((a, b) => a.fixture.localeCompare(b.fixture));
}

/** Every .wasm under the real-components folder, relative and `/`-separated. */
export function allFixtures(dir = realRoot) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.wasm')) out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
