// The package where the JS engine lacks what WebKit (Safari) lacks: byte streams and
// async-iterable ReadableStreams. A child Node process made so (tests/helpers/webkit-gaps.mjs)
// runs the scenarios (tests/helpers/webkit-gaps-scenarios.mjs): streams of bytes out of a
// guest, into one and back, WASI stdin, an empty body, an in-memory file, all read with a
// default reader. Each fell back to a plain stream of Uint8Array chunks, or threw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const helpers = (name) => fileURLToPath(new URL(`../helpers/${name}`, import.meta.url));

test('streams of bytes work where the engine has no byte streams (WebKit)', () => {
  const out = execFileSync(process.execPath, ['--import', helpers('webkit-gaps.mjs'), helpers('webkit-gaps-scenarios.mjs')], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), {
    byteStreams: 'undefined',
    asyncIterable: 'undefined',
    fromGuest: 300,
    throughGuest: [1, 2, 3, 4],
    stdin: [104, 105],
    empty: [],
    file: 'abc',
  });
});
