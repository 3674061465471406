// The demo page (web-demo/) in a headless browser (Chromium, or Firefox or WebKit under
// CMBRIDGE_TEST_BROWSER), clicked through as a person would: each bundled example loaded,
// a .wasm of one's own chosen and dropped, exports called with good and bad input, a file
// piped through the rot13 transform (paused, to see the task tree while the stream runs,
// then let go) and the output downloaded. The page is driven through page.evaluate alone
// (tests/helpers/dom-driver.mjs), the same in every engine. In Chromium a screenshot of
// each view goes to test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../../scripts/prerequisites.mjs';
import { outputDir, testBrowser } from '../helpers/browser.mjs';
import { componentBytes } from '../helpers/components.mjs';
import { DomDriver } from '../helpers/dom-driver.mjs';
import { buildExamples } from '../../scripts/build.mjs';

const skip = testBrowser.missing;
let browser;
let dom;

before(async () => {
  if (skip) return;
  await buildExamples();
  browser = await testBrowser.open();
  await browser.page.setViewportSize?.({ width: 1400, height: 1000 });
  dom = new DomDriver(browser.page);
  await browser.page.goto(`${browser.url}/web-demo/`);
});
after(() => browser?.close());

const SHOWCASE = 'demo:values/showcase';  // the interface the values example exports

/** A screenshot of one view (a section of the page) under test-output/ (Chromium's playwright only). */
async function shoot(selector, name) {
  if (testBrowser.name !== 'Chromium') return;
  await mkdir(outputDir, { recursive: true });
  await browser.page.locator(selector).screenshot({ path: path.join(outputDir, `${name}.png`) });
}

async function loadExample(file) {
  await dom.waitFor(`button[data-example="${file}"]`);  // (the page may still be starting)
  await dom.click(`button[data-example="${file}"]`);
  await dom.waitFor(`body[data-state="ready"][data-component="${file}"]`);
}

/** Fills the form of `name` with `args` (WAVE texts), calls, and returns { kind, text } shown. */
async function call(name, args) {
  const form = `#calls form[data-export="${name}"]`;
  assert.equal(await dom.count(`${form} input`), args.length, `${name} takes ${args.length} arguments`);
  await dom.fill(`${form} input`, args);
  await browser.page.evaluate((s) => document.querySelector(s).removeAttribute('data-kind'), `${form} output`);
  await dom.click(`${form} button[type="submit"]`);
  await dom.waitFor(`${form} output[data-kind]`);
  return {
    kind: await dom.attribute(`${form} output`, 'data-kind'),
    text: await dom.text(`${form} output`),
  };
}

async function exportsShown() {
  return dom.texts('#export-types li');
}

// The WIT view shows component.wit() where the package has it, else says it needs it.
async function assertWit(names) {
  const text = await dom.text('#wit');
  assert.equal(await dom.attribute('#wit', 'data-wit'), 'shown', text);
  assert.match(text, /\bworld\b/, text);
  for (const name of names) assert.match(text, new RegExp(`\\b${name}\\b`), text);
}

test('the page opens on the hello example: its interface, calls and the host log', { skip }, async () => {
  const { consoleErrors } = browser;
  await dom.waitFor('body[data-state="ready"][data-component="hello.wasm"]');
  assert.match(await dom.text('#status'), /^hello\.wasm: compiled in [\d.]+ ms, instantiated in [\d.]+ ms\.$/);
  assert.equal(await dom.attribute('button[data-example="hello.wasm"]', 'aria-pressed'), 'true');
  await assertWit(['add', 'greet', 'sum', 'reverse']);
  assert.deepEqual(await exportsShown(), [
    'add: func(a: u32, b: u32) -> u32',
    'greet: func(name: string) -> string',
    'sum: func(values: list<f64>) -> f64',
    'reverse: func(bytes: list<u8>) -> list<u8>',
  ]);

  assert.deepEqual(await call('add', ['2', '40']), { kind: 'ok', text: '42' });
  assert.deepEqual(await call('greet', ['"web"']), { kind: 'ok', text: '"Hello, web!"' });
  assert.equal(await dom.text('#log'), 'log: Hello, web!\n');
  assert.deepEqual(await call('sum', ['[1.5, 2.25, 3]']), { kind: 'ok', text: '6.75' });
  assert.deepEqual(await call('reverse', ['[1, 2, 3]']), { kind: 'ok', text: '[3, 2, 1]' });

  // Input that does not parse, or does not fit the type, is refused before the call.
  const negative = await call('add', ['-1', '0']);
  assert.equal(negative.kind, 'invalid');
  assert.match(negative.text, /^invalid input: argument `a`: .*-1/);
  const text = await call('add', ['"two"', '0']);
  assert.equal(text.kind, 'invalid');
  assert.match(text.text, /argument `a`/);
  const missing = await call('greet', ['']);
  assert.equal(missing.kind, 'invalid');
  // the instance is unharmed
  assert.deepEqual(await call('add', ['1', '2']), { kind: 'ok', text: '3' });

  await shoot('#component-panel', 'demo-component');
  await shoot('#interface-panel', 'demo-interface-hello');
  await shoot('#calls-panel', 'demo-calls-hello');
  assert.deepEqual(consoleErrors, []);
});

test('the values example: records, variants, options, results, flags; errors and traps as values', { skip }, async () => {
  const { consoleErrors } = browser;
  await loadExample('values.wasm');
  await assertWit([SHOWCASE, 'area', 'checked-div', 'find-user', 'shape', 'permissions']);
  const shown = await exportsShown();
  assert.equal(shown.length, 8);
  assert.equal(shown[0], `${SHOWCASE}#area: func(s: variant { circle(f64), rect(record { width: f64, height: f64 }), point }) -> f64`);
  assert.equal(shown[1], `${SHOWCASE}#checkedDiv: func(a: s32, b: s32) -> result<s32, enum { divide-by-zero, overflow }>`);

  assert.deepEqual(await call(`${SHOWCASE}#area`, ['rect({width: 3, height: 4})']), { kind: 'ok', text: '12' });
  assert.deepEqual(await call(`${SHOWCASE}#area`, ['point']), { kind: 'ok', text: '0' });
  assert.deepEqual(await call(`${SHOWCASE}#checkedDiv`, ['7', '2']), { kind: 'ok', text: 'ok(3)' });
  // err(e) of a result: a ComponentError whose payload is shown as the value it is
  assert.deepEqual(await call(`${SHOWCASE}#checkedDiv`, ['1', '0']), { kind: 'err', text: 'err(divide-by-zero)' });
  assert.deepEqual(await call(`${SHOWCASE}#checkedDiv`, ['-2147483648', '-1']), { kind: 'err', text: 'err(overflow)' });
  assert.deepEqual(await call(`${SHOWCASE}#findUser`, ['2']), { kind: 'ok', text: 'some({name: "bob", age: 52, perms: {read, write, admin}})' });
  assert.deepEqual(await call(`${SHOWCASE}#findUser`, ['9']), { kind: 'ok', text: 'none' });
  assert.deepEqual(await call(`${SHOWCASE}#grant`, ['{read}', '{write, admin}']), { kind: 'ok', text: '{read, write, admin}' });
  assert.deepEqual(await call(`${SHOWCASE}#minMax`, ['[3, -5, 9, 2]']), { kind: 'ok', text: 'some((-5, 9))' });
  assert.deepEqual(await call(`${SHOWCASE}#minMax`, ['[]']), { kind: 'ok', text: 'none' });
  assert.deepEqual(await call(`${SHOWCASE}#splitWords`, ['" the component  model "']), { kind: 'ok', text: '["the", "component", "model"]' });
  assert.deepEqual(await call(`${SHOWCASE}#fib`, ['90']), { kind: 'ok', text: '2880067194370816120' });
  const unknownCase = await call(`${SHOWCASE}#area`, ['triangle(1.0)']);
  assert.equal(unknownCase.kind, 'invalid');
  const unknownFlag = await call(`${SHOWCASE}#grant`, ['{read, sudo}', '{}']);
  assert.equal(unknownFlag.kind, 'invalid');
  await shoot('#calls-panel', 'demo-calls-values');
  // no stream<u8> transform here: the pipe says so
  assert.match(await dom.text('#pipe-status'), /exports no stream<u8> → stream<u8> function/);
  assert.equal(await dom.isDisabled('#pipe-run'), true);

  // A trap is shown as one, and locks the instance: later calls fail until a new instance.
  const trap = await call(`${SHOWCASE}#uncheckedDiv`, ['7', '0']);
  assert.equal(trap.kind, 'trap');
  // (Each engine words a core wasm trap its own way: V8 "divide by zero", JSC "Division by zero".)
  assert.match(trap.text, /^trap: .*(divide|division) by zero/i);
  assert.match(await dom.text('#status'), /values\.wasm trapped: .*(divide|division) by zero/i);
  const after = await call(`${SHOWCASE}#fib`, ['10']);
  assert.equal(after.kind, 'trap');
  assert.match(after.text, /cannot enter component instance/);
  await shoot('#interface-panel', 'demo-interface-values');
  await dom.click('#reinstantiate');
  await dom.waitForText('#status', /instantiated in/);
  assert.deepEqual(await call(`${SHOWCASE}#fib`, ['10']), { kind: 'ok', text: '55' });
  assert.deepEqual(consoleErrors, []);
});

test("a .wasm of one's own: chosen with the file input, dropped, or not a component at all", { skip }, async () => {
  const { consoleErrors } = browser;
  const add = await componentBytes('add');
  await dom.setFile('#file-input', { name: 'add.wasm', type: 'application/wasm', bytes: Buffer.from(add) });
  await dom.waitFor('body[data-state="ready"][data-component="add.wasm"]');
  assert.deepEqual(await exportsShown(), ['add: func(a: u32, b: u32) -> u32']);
  assert.deepEqual(await call('add', ['20', '22']), { kind: 'ok', text: '42' });
  assert.equal(await dom.count('button.example[aria-pressed="true"]'), 0);

  // dropped on the drop zone
  const streams = await componentBytes('streams');
  await browser.page.evaluate((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'streams.wasm', { type: 'application/wasm' }));
    document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [...streams]);
  await dom.waitFor('body[data-state="ready"][data-component="streams.wasm"]');
  const shown = await exportsShown();
  assert.ok(shown.includes('pass: async func(s: stream<u8>) -> stream<u8>'), shown.join('\n'));
  assert.deepEqual(await call('futureOf', ['41']), { kind: 'ok', text: 'future → 41' });
  assert.deepEqual(await call('squares', ['4']), { kind: 'ok', text: 'stream of 4 elements: [0, 1, 4, 9]' });
  assert.deepEqual(await call('consume', ['[1, 2, 3]', '2']), { kind: 'ok', text: '(3, 6)' });

  // not a component: a CompileError naming the problem, and nothing stale left on show
  await dom.setFile('#file-input', { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('not wasm at all') });
  await dom.waitFor('body[data-state="error"][data-component="notes.txt"]');
  assert.match(await dom.text('#status'), /^notes\.txt: CompileError: /);
  assert.equal(await dom.count('#calls form'), 0);
  assert.deepEqual(await exportsShown(), []);
  await shoot('#component-panel', 'demo-component-error');
  assert.deepEqual(consoleErrors, []);
});

// Components of someone else's, which import WASI and other interfaces the page knows
// nothing of: they instantiate (WASI provided, the rest stubbed) and their exports can be
// called; one that cannot instantiate still shows its WIT.
const realRoot = path.resolve(process.env.CMBRIDGE_REAL_COMPONENTS ?? path.join(repoRoot, '../shared/real-components'));
const realMissing = existsSync(realRoot) ? false : `no real components at ${realRoot} (set CMBRIDGE_REAL_COMPONENTS)`;

test("real components with WASI and other imports: WASI is given, the rest stubbed, and the WIT shows", { skip: skip || realMissing }, async () => {
  const { consoleErrors } = browser;
  const choose = async (file) => {
    const name = path.basename(file);
    await dom.setFile('#file-input', { name, type: 'application/wasm', bytes: await readFile(path.join(realRoot, file)) });
    await dom.waitFor(`body[data-component="${name}"]:is([data-state="ready"], [data-state="error"])`);
    return dom.attribute('body', 'data-state');
  };
  // A WASI 0.2 command (wasi:io/error and the rest of WASI 0.2 among its imports).
  assert.equal(await choose('jco/hello_stdout.component.wasm'), 'ready', await dom.text('#status'));
  assert.ok((await exportsShown()).some((e) => e.startsWith('wasi:cli/run@0.2.')), (await exportsShown()).join('\n'));
  // wit-bindgen's flavorful: WASI, and an interface of its own, stubbed.
  assert.equal(await choose('jco-transpile/runtime/flavorful.component.wasm'), 'ready', await dom.text('#status'));
  assert.equal(await dom.attribute('#wit', 'data-wit'), 'shown');
  assert.deepEqual(consoleErrors, []);
});

// ROT13 of the ASCII letters, as the component does it.
function rot13(bytes) {
  return Uint8Array.from(bytes, (c) => {
    const base = c & 0x20 ? 97 : 65;
    return c - base >= 0 && c - base < 26 ? base + ((c - base + 13) % 26) : c;
  });
}

test('the rot13 example: async calls awaited, stream results read', { skip }, async () => {
  const { consoleErrors } = browser;
  await loadExample('rot13.wasm');
  await assertWit(['rot13', 'upper', 'countdown', 'sleep']);
  assert.deepEqual(await exportsShown(), [
    'rot13: async func(input: stream<u8>) -> stream<u8>',
    'upper: async func(input: stream<u8>) -> stream<u8>',
    'countdown: async func(n: u32, ms: u32) -> u32',
  ]);
  assert.deepEqual(await call('rot13', ['"Hello, streams!"']), { kind: 'ok', text: 'stream of 15 bytes: "Uryyb, fgernzf!"' });
  assert.deepEqual(await call('upper', ['[104, 105]']), { kind: 'ok', text: 'stream of 2 bytes: "HI"' });
  assert.deepEqual(await call('countdown', ['2', '1']), { kind: 'ok', text: '2' });
  assert.equal(await dom.text('#log'), 'sleep(1)\nsleep(1)\n');
  const bad = await call('countdown', ['2', 'soon']);
  assert.equal(bad.kind, 'invalid');
  await shoot('#calls-panel', 'demo-calls-rot13');
  // nothing runs now: the tree shows an idle instance
  await dom.waitFor('#task-tree .instance .idle');
  assert.deepEqual(consoleErrors, []);
});

test('a file piped through rot13: the task tree while it runs, progress to 100%, the output downloaded', { skip }, async () => {
  const { consoleErrors } = browser;
  await loadExample('rot13.wasm');
  const size = 3 * 1024 * 1024 + 123;
  const input = Buffer.alloc(size);
  for (let i = 0; i < size; i++) input[i] = 32 + ((i * 31 + (i >> 7)) % 95);
  await dom.setFile('#pipe-file', { name: 'input.txt', type: 'text/plain', bytes: input });
  await dom.select('#pipe-export', 'rot13');

  // Paused: the pipe holds the file's first chunk, so the component's read of its input
  // waits, and the tree shows the task with both of its stream ends.
  await dom.select('#pipe-speed', 'paused');
  await dom.click('#pipe-run');
  const task = '#task-tree .task[data-export="rot13"]';
  await dom.waitFor(`${task} .end.stream[data-end="readable"][data-state="copying"]`);
  assert.equal(await dom.attribute(task, 'data-state'), 'resolved');  // it returned its output stream
  assert.equal(await dom.count(`${task} .end.stream`), 2);
  assert.match(await dom.text(`${task} .thread`), /waiting: callback-wait on set \d+/);
  assert.equal(await dom.attribute('#transform-panel', 'data-state'), 'running');
  assert.equal(await dom.isDisabled('#pipe-run'), true, 'one pipe at a time');
  assert.equal(await dom.text('#pipe-percent'), '0%');
  await shoot('#tree-panel', 'demo-task-tree-streaming');
  await shoot('#transform-panel', 'demo-pipe-paused');

  await dom.select('#pipe-speed', 'full speed');
  await dom.waitFor('#transform-panel[data-state="done"]');
  assert.equal(await dom.text('#pipe-percent'), '100%');
  assert.equal(await dom.attribute('#pipe-progress', 'value'), '1');
  assert.match(await dom.text('#pipe-stats'), /^3\.15 MB of 3\.15 MB in · 3\.15 MB out · [\d.]+ MB\/s$/);
  assert.equal(await dom.text('#pipe-status'), `rot13: done, ${size} bytes out.`);

  // The download: the link's file name, and the bytes behind its blob: URL.
  assert.equal(await dom.attribute('#pipe-download', 'download'), 'input.txt.rot13');
  const output = await dom.linkedBytes('#pipe-download');
  assert.equal(output.length, size);
  assert.ok(Buffer.from(rot13(input)).equals(output), 'the download is the ROT13 of the file');
  await shoot('#transform-panel', 'demo-pipe-done');

  assert.equal(await dom.isDisabled('#pipe-run'), false);

  // When the stream is over, the task is gone from the tree.
  await dom.waitFor('#task-tree .instance .idle');
  await browser.page.evaluate(() => window.scrollTo(0, 0));
  await browser.screenshot('demo-page');

  // Another component: the last pipe's result and download do not stay.
  await loadExample('hello.wasm');
  assert.equal(await dom.isHidden('#pipe-download'), true);
  assert.equal(await dom.text('#pipe-percent'), '');
  assert.equal(await dom.text('#pipe-stats'), '');
  assert.equal(await dom.attribute('#transform-panel', 'data-state'), null);
  assert.deepEqual(consoleErrors, []);
});

test('a pipe cancelled while paused ends the component\'s streams cleanly', { skip }, async () => {
  const { consoleErrors } = browser;
  await loadExample('rot13.wasm');
  await dom.setFile('#pipe-file', { name: 'zeros.bin', type: 'application/octet-stream', bytes: Buffer.alloc(1 << 20) });
  await dom.select('#pipe-export', 'upper');
  await dom.select('#pipe-speed', 'paused');
  await dom.click('#pipe-run');
  await dom.waitFor('#task-tree .task[data-export="upper"] .end.stream[data-end="readable"][data-state="copying"]');
  await dom.click('#pipe-cancel');
  await dom.waitFor('#transform-panel[data-state="cancelled"]');
  assert.equal(await dom.text('#pipe-status'), 'upper: cancelled by the user.');
  assert.equal(await dom.isHidden('#pipe-download'), true);
  // the component saw its input end and its output dropped, and finished its task
  await dom.waitFor('#task-tree .instance .idle');
  await dom.select('#pipe-speed', 'full speed');
  assert.deepEqual(consoleErrors, []);
});

test('the WASI 0.3 panel: a file goes in as stdin and comes out in the page as stdout', { skip }, async () => {
  const { consoleErrors } = browser;
  const text = 'Twas brillig, and the slithy toves\n'.repeat(2000);  // 70 KB: more than the page shows
  await dom.setFile('#wasi-file', { name: 'jabberwocky.txt', type: 'text/plain', bytes: Buffer.from(text) });
  await dom.click('#wasi-run');
  await dom.waitFor('body[data-wasi="exit-0"]');
  const shown = await dom.text('#wasi-output');
  assert.ok(shown.startsWith('Twas brillig, and the slithy toves\nTwas brillig'), shown.slice(0, 80));
  assert.match(shown, /… \(\d+ more bytes\)$/);
  assert.match(await dom.text('#wasi-status'), new RegExp(`^exit code 0: ${text.length} bytes from jabberwocky.txt through stdin and stdout`));
  await shoot('#wasi-panel', 'demo-wasi');
  assert.deepEqual(consoleErrors, []);
});

test('the gzip example, built by a real toolchain: a file piped through it, the download gunzips to the file', { skip }, async () => {
  const { consoleErrors } = browser;
  await loadExample('gzip.wasm');
  // (componentize-qjs also exports its runtime's `init`.)
  assert.ok((await exportsShown()).includes('gzip: async func(input: stream<u8>) -> stream<u8>'), (await exportsShown()).join('\n'));
  const input = Buffer.from('the component model, streamed '.repeat(10_000));  // 300 KB
  await dom.setFile('#pipe-file', { name: 'words.txt', type: 'text/plain', bytes: input });
  await dom.select('#pipe-export', 'gzip');
  await dom.select('#pipe-speed', 'full speed');
  await dom.click('#pipe-run');
  await dom.waitFor('#transform-panel[data-state="done"]', { timeout: 120_000 });
  assert.equal(await dom.text('#pipe-percent'), '100%');
  assert.equal(await dom.attribute('#pipe-download', 'download'), 'words.txt.gzip');
  const output = await dom.linkedBytes('#pipe-download');
  assert.ok(output.length < input.length / 10, `${input.length} bytes compressed to ${output.length}`);
  assert.ok(gunzipSync(output).equals(input), 'the download is the gzip of the file');
  await shoot('#transform-panel', 'demo-pipe-gzip');
  assert.deepEqual(consoleErrors, []);
});
