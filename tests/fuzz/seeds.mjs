// The fuzzers' seed inputs, made at run time from what the repository and the spec's suite
// already have (never stored in the repository):
//
//   component_binary  tests/components/*.wat and web-demo/components/*.wat, and every
//                     component of the conformance suite's .wast scripts (valid and
//                     invalid ones: both are good starting points), turned into binaries
//                     with the wasm-tools inside jco (`parse`), as the tests do
//   wit_parser        tests/components/*.wit, and the WIT of every component above as
//                     wasm-tools prints it (jco's `componentWit`): the suite's components
//                     are the conformance source of WIT (the suite has no .wit files)
//   value_roundtrip   a few fixed pseudo-random inputs (the target draws types and values
//                     from its input; there is nothing to take them from)
//
// The suite is found as scripts/fuzz.mjs says (conformanceDirs); when it is absent the
// seeds are the repository's alone.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScript } from '../conformance/wast-parser.mjs';
import { findScripts } from '../conformance/suite.mjs';
import { witOfEach } from './component-wit.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where the spec's material is: { suite: the .wast folder, definitions: the folder of
 * definitions.py }, each null when absent. CM_CONFORMANCE_DIR names the component-model
 * folder (holding test/ and canonical-abi/); the conformance tests take it as the test/
 * folder itself, so that works too.
 */
export function conformanceDirs() {
  const root = process.env.CM_CONFORMANCE_DIR
    ? path.resolve(process.env.CM_CONFORMANCE_DIR)
    : path.join(repoRoot, '../shared/conformance/component-model');
  const isSuite = (d) => existsSync(d) && readdirSync(d).some((f) => f === 'nyi.txt' || f === 'values' || f === 'async');
  const suite = [path.join(root, 'test'), root].find(isSuite) ?? null;
  const definitions = [path.join(root, 'canonical-abi'), path.join(root, '..', 'canonical-abi')]
    .find((d) => existsSync(path.join(d, 'definitions.py'))) ?? null;
  return { root, suite, definitions };
}

function filesIn(dir, suffix) {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => path.join(dir, f)) : [];
}

// A file name for a seed: where it came from, readable, unique.
function seedName(...parts) {
  return parts.join('-').replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Writes the seeds under `outDir`/<target>/ (emptied first); returns the counts per target. */
export async function makeSeeds(outDir) {
  const { parse } = await import('@bytecodealliance/jco');
  const dirs = Object.fromEntries(['component_binary', 'wit_parser', 'value_roundtrip'].map((t) => {
    const d = path.join(outDir, t);
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true });
    return [t, d];
  }));
  const counts = { component_binary: 0, wit_parser: 0, value_roundtrip: 0 };
  const skipped = [];

  const components = [];  // [name, bytes, valid: whether its source says it is a valid component]
  for (const file of [...filesIn(path.join(repoRoot, 'tests/components'), '.wat'),
    ...filesIn(path.join(repoRoot, 'web-demo/components'), '.wat')]) {
    try {
      components.push([seedName(path.basename(path.dirname(path.dirname(file))), path.basename(file, '.wat')),
        await parse(readFileSync(file, 'utf8')), true]);
    } catch (e) {
      skipped.push(`${path.relative(repoRoot, file)}: ${e.message ?? e}`);
    }
  }
  const { suite } = conformanceDirs();
  if (suite) {
    for (const script of findScripts(suite)) {
      let commands;
      try {
        commands = parseScript(readFileSync(path.join(suite, script), 'utf8'));
      } catch (e) {
        skipped.push(`${script}: ${e.message}`);
        continue;
      }
      for (const c of commands) {
        if (!c.module || c.module.kind !== 'component') continue;
        try {
          const bytes = c.module.format === 'binary' ? c.module.bytes : await parse(c.module.text);
          components.push([seedName('suite', script.replace(/\.wast$/, ''), `line${c.line}`), bytes, c.kind === 'component']);
        } catch {
          // Text the suite expects to be malformed, or that this jco cannot parse: no seed.
        }
      }
    }
  }
  for (const [name, bytes] of components) {
    writeFileSync(path.join(dirs.component_binary, `${name}.wasm`), bytes);
    counts.component_binary++;
  }
  // Only components meant to be valid: an invalid one has no WIT.
  const valid = components.filter(([, , isValid]) => isValid);
  const wits = await witOfEach(valid.map(([, bytes]) => bytes));
  valid.forEach(([name], i) => {
    if (wits[i] === null) return;  // wasm-tools has no WIT for it (e.g. exported types)
    writeFileSync(path.join(dirs.wit_parser, `${name}.wit`), wits[i]);
    counts.wit_parser++;
  });
  for (const file of filesIn(path.join(repoRoot, 'tests/components'), '.wit')) {
    writeFileSync(path.join(dirs.wit_parser, seedName('tests', path.basename(file))), readFileSync(file));
    counts.wit_parser++;
  }

  // xorshift32, fixed seed: the same inputs every time.
  let x = 0x9e3779b9;
  const next = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  for (let i = 0; i < 16; i++) {
    const bytes = new Uint8Array(32 + (next() % 480));
    for (let k = 0; k < bytes.length; k++) bytes[k] = next() & 0xff;
    writeFileSync(path.join(dirs.value_roundtrip, `random-${i}`), bytes);
    counts.value_roundtrip++;
  }
  return { counts, skipped, suite };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? path.join(repoRoot, 'build/fuzz/seeds');
  const { counts, skipped } = await makeSeeds(out);
  console.log(counts);
  for (const s of skipped) console.log(`skipped ${s}`);
}
