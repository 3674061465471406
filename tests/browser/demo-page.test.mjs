// The demo page (web-demo/) in headless Chromium, clicked through as a person would: each
// bundled example loaded, a .wasm of one's own chosen and dropped, exports called with
// good and bad input, a file piped through the rot13 transform (paused, to see the task
// tree while the stream runs, then let go) and the output downloaded. A screenshot of
// each view goes to test-output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../../scripts/prerequisites.mjs';
import { chromiumMissing, openBrowser, outputDir } from '../helpers/browser.mjs';
import { componentBytes } from '../helpers/components.mjs';
import { buildExamples } from '../../scripts/build.mjs';

let browser;

before(async () => {
  if (chromiumMissing) return;
  await buildExamples();
  browser = await openBrowser();
  await browser.page.setViewportSize({ width: 1400, height: 1000 });
  await browser.page.goto(`${browser.url}/web-demo/`);
});
after(() => browser?.close());

const skip = chromiumMissing;
const SHOWCASE = 'demo:values/showcase';  // the interface the values example exports

/** A screenshot of one view (a section of the page) under test-output/. */
async function shoot(selector, name) {
  await mkdir(outputDir, { recursive: true });
  await browser.page.locator(selector).screenshot({ path: path.join(outputDir, `${name}.png`) });
}

async function loadExample(file) {
  const { page } = browser;
  await page.click(`button[data-example="${file}"]`);
  await page.waitForSelector(`body[data-state="ready"][data-component="${file}"]`);
}

/** Fills the form of `name` with `args` (WAVE texts), calls, and returns { kind, text } shown. */
async function call(name, args) {
  const { page } = browser;
  const form = `#calls form[data-export="${name}"]`;
  const inputs = await page.$$(`${form} input`);
  assert.equal(inputs.length, args.length, `${name} takes ${inputs.length} arguments`);
  for (const [i, text] of args.entries()) await inputs[i].fill(text);
  await page.$eval(`${form} output`, (o) => { o.removeAttribute('data-kind'); });
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector(`${form} output[data-kind]`);
  return {
    kind: await page.getAttribute(`${form} output`, 'data-kind'),
    text: await page.textContent(`${form} output`),
  };
}

async function exportsShown() {
  return browser.page.$$eval('#export-types li', (lis) => lis.map((li) => li.textContent));
}

// The WIT view shows component.wit() where the package has it, else says it needs it.
async function assertWit(names) {
  const { page } = browser;
  const text = await page.textContent('#wit');
  assert.equal(await page.getAttribute('#wit', 'data-wit'), 'shown', text);
  assert.match(text, /\bworld\b/, text);
  for (const name of names) assert.match(text, new RegExp(`\\b${name}\\b`), text);
}

test('the page opens on the hello example: its interface, calls and the host log', { skip }, async () => {
  const { page, consoleErrors } = browser;
  await page.waitForSelector('body[data-state="ready"][data-component="hello.wasm"]');
  assert.match(await page.textContent('#status'), /^hello\.wasm: compiled in [\d.]+ ms, instantiated in [\d.]+ ms\.$/);
  assert.equal(await page.getAttribute('button[data-example="hello.wasm"]', 'aria-pressed'), 'true');
  await assertWit(['add', 'greet', 'sum', 'reverse']);
  assert.deepEqual(await exportsShown(), [
    'add: func(a: u32, b: u32) -> u32',
    'greet: func(name: string) -> string',
    'sum: func(values: list<f64>) -> f64',
    'reverse: func(bytes: list<u8>) -> list<u8>',
  ]);

  assert.deepEqual(await call('add', ['2', '40']), { kind: 'ok', text: '42' });
  assert.deepEqual(await call('greet', ['"web"']), { kind: 'ok', text: '"Hello, web!"' });
  assert.equal(await page.textContent('#log'), 'log: Hello, web!\n');
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
  const { page, consoleErrors } = browser;
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
  assert.match(await page.textContent('#pipe-status'), /exports no stream<u8> → stream<u8> function/);
  assert.equal(await page.isDisabled('#pipe-run'), true);

  // A trap is shown as one, and locks the instance: later calls fail until a new instance.
  const trap = await call(`${SHOWCASE}#uncheckedDiv`, ['7', '0']);
  assert.equal(trap.kind, 'trap');
  assert.match(trap.text, /^trap: .*divide by zero/);
  assert.match(await page.textContent('#status'), /values\.wasm trapped: .*divide by zero/);
  const after = await call(`${SHOWCASE}#fib`, ['10']);
  assert.equal(after.kind, 'trap');
  assert.match(after.text, /cannot enter component instance/);
  await shoot('#interface-panel', 'demo-interface-values');
  await page.click('#reinstantiate');
  await page.waitForFunction(() => /instantiated in/.test(document.getElementById('status').textContent));
  assert.deepEqual(await call(`${SHOWCASE}#fib`, ['10']), { kind: 'ok', text: '55' });
  assert.deepEqual(consoleErrors, []);
});

test("a .wasm of one's own: chosen with the file input, dropped, or not a component at all", { skip }, async () => {
  const { page, consoleErrors } = browser;
  const add = await componentBytes('add');
  await page.setInputFiles('#file-input', { name: 'add.wasm', mimeType: 'application/wasm', buffer: Buffer.from(add) });
  await page.waitForSelector('body[data-state="ready"][data-component="add.wasm"]');
  assert.deepEqual(await exportsShown(), ['add: func(a: u32, b: u32) -> u32']);
  assert.deepEqual(await call('add', ['20', '22']), { kind: 'ok', text: '42' });
  assert.equal(await page.$('button.example[aria-pressed="true"]'), null);

  // dropped on the drop zone
  const streams = await componentBytes('streams');
  await page.evaluate((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'streams.wasm', { type: 'application/wasm' }));
    document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [...streams]);
  await page.waitForSelector('body[data-state="ready"][data-component="streams.wasm"]');
  const shown = await exportsShown();
  assert.ok(shown.includes('pass: async func(s: stream<u8>) -> stream<u8>'), shown.join('\n'));
  assert.deepEqual(await call('futureOf', ['41']), { kind: 'ok', text: 'future → 41' });
  assert.deepEqual(await call('squares', ['4']), { kind: 'ok', text: 'stream of 4 elements: [0, 1, 4, 9]' });
  assert.deepEqual(await call('consume', ['[1, 2, 3]', '2']), { kind: 'ok', text: '(3, 6)' });

  // not a component: a CompileError naming the problem, and nothing stale left on show
  await page.setInputFiles('#file-input', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not wasm at all') });
  await page.waitForSelector('body[data-state="error"][data-component="notes.txt"]');
  assert.match(await page.textContent('#status'), /^notes\.txt: CompileError: /);
  assert.deepEqual(await page.$$('#calls form'), []);
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
  const { page, consoleErrors } = browser;
  const choose = async (file) => {
    const name = path.basename(file);
    await page.setInputFiles('#file-input', { name, mimeType: 'application/wasm', buffer: await readFile(path.join(realRoot, file)) });
    await page.waitForSelector(`body[data-component="${name}"]:is([data-state="ready"], [data-state="error"])`);
    return page.evaluate(() => document.body.dataset.state);
  };
  // A WASI 0.2 command (wasi:io/error and the rest of WASI 0.2 among its imports).
  assert.equal(await choose('jco/hello_stdout.component.wasm'), 'ready', await page.textContent('#status'));
  assert.ok((await exportsShown()).some((e) => e.startsWith('wasi:cli/run@0.2.')), (await exportsShown()).join('\n'));
  // wit-bindgen's flavorful: WASI, and an interface of its own, stubbed.
  assert.equal(await choose('jco-transpile/runtime/flavorful.component.wasm'), 'ready', await page.textContent('#status'));
  assert.equal(await page.getAttribute('#wit', 'data-wit'), 'shown');
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
  const { page, consoleErrors } = browser;
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
  assert.equal(await page.textContent('#log'), 'sleep(1)\nsleep(1)\n');
  const bad = await call('countdown', ['2', 'soon']);
  assert.equal(bad.kind, 'invalid');
  await shoot('#calls-panel', 'demo-calls-rot13');
  // nothing runs now: the tree shows an idle instance
  await page.waitForSelector('#task-tree .instance .idle');
  assert.deepEqual(consoleErrors, []);
});

test('a file piped through rot13: the task tree while it runs, progress to 100%, the output downloaded', { skip }, async () => {
  const { page, consoleErrors } = browser;
  await loadExample('rot13.wasm');
  const size = 3 * 1024 * 1024 + 123;
  const input = Buffer.alloc(size);
  for (let i = 0; i < size; i++) input[i] = 32 + ((i * 31 + (i >> 7)) % 95);
  await page.setInputFiles('#pipe-file', { name: 'input.txt', mimeType: 'text/plain', buffer: input });
  await page.selectOption('#pipe-export', { label: 'rot13' });

  // Paused: the pipe holds the file's first chunk, so the component's read of its input
  // waits, and the tree shows the task with both of its stream ends.
  await page.selectOption('#pipe-speed', { label: 'paused' });
  await page.click('#pipe-run');
  const task = '#task-tree .task[data-export="rot13"]';
  await page.waitForSelector(`${task} .end.stream[data-end="readable"][data-state="copying"]`);
  assert.equal(await page.getAttribute(task, 'data-state'), 'resolved');  // it returned its output stream
  assert.equal((await page.$$(`${task} .end.stream`)).length, 2);
  assert.match(await page.textContent(`${task} .thread`), /waiting: callback-wait on set \d+/);
  assert.equal(await page.getAttribute('#transform-panel', 'data-state'), 'running');
  assert.equal(await page.isDisabled('#pipe-run'), true, 'one pipe at a time');
  assert.equal(await page.textContent('#pipe-percent'), '0%');
  await shoot('#tree-panel', 'demo-task-tree-streaming');
  await shoot('#transform-panel', 'demo-pipe-paused');

  await page.selectOption('#pipe-speed', { label: 'full speed' });
  await page.waitForSelector('#transform-panel[data-state="done"]');
  assert.equal(await page.textContent('#pipe-percent'), '100%');
  assert.equal(await page.getAttribute('#pipe-progress', 'value'), '1');
  assert.match(await page.textContent('#pipe-stats'), /^3\.15 MB of 3\.15 MB in · 3\.15 MB out · [\d.]+ MB\/s$/);
  assert.equal(await page.textContent('#pipe-status'), `rot13: done, ${size} bytes out.`);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pipe-download')]);
  assert.equal(download.suggestedFilename(), 'input.txt.rot13');
  const output = await readFile(await download.path());
  assert.equal(output.length, size);
  assert.ok(Buffer.from(rot13(input)).equals(output), 'the download is the ROT13 of the file');
  await shoot('#transform-panel', 'demo-pipe-done');

  assert.equal(await page.isDisabled('#pipe-run'), false);

  // When the stream is over, the task is gone from the tree.
  await page.waitForSelector('#task-tree .instance .idle');
  await page.evaluate(() => window.scrollTo(0, 0));
  await browser.screenshot('demo-page');

  // Another component: the last pipe's result and download do not stay.
  await loadExample('hello.wasm');
  assert.equal(await page.isHidden('#pipe-download'), true);
  assert.equal(await page.textContent('#pipe-percent'), '');
  assert.equal(await page.textContent('#pipe-stats'), '');
  assert.equal(await page.getAttribute('#transform-panel', 'data-state'), null);
  assert.deepEqual(consoleErrors, []);
});

test('a pipe cancelled while paused ends the component\'s streams cleanly', { skip }, async () => {
  const { page, consoleErrors } = browser;
  await loadExample('rot13.wasm');
  await page.setInputFiles('#pipe-file', { name: 'zeros.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1 << 20) });
  await page.selectOption('#pipe-export', { label: 'upper' });
  await page.selectOption('#pipe-speed', { label: 'paused' });
  await page.click('#pipe-run');
  await page.waitForSelector('#task-tree .task[data-export="upper"] .end.stream[data-end="readable"][data-state="copying"]');
  await page.click('#pipe-cancel');
  await page.waitForSelector('#transform-panel[data-state="cancelled"]');
  assert.equal(await page.textContent('#pipe-status'), 'upper: cancelled by the user.');
  assert.equal(await page.isHidden('#pipe-download'), true);
  // the component saw its input end and its output dropped, and finished its task
  await page.waitForSelector('#task-tree .instance .idle');
  await page.selectOption('#pipe-speed', { label: 'full speed' });
  assert.deepEqual(consoleErrors, []);
});

test('the WASI 0.3 panel: a file goes in as stdin and comes out in the page as stdout', { skip }, async () => {
  const { page, consoleErrors } = browser;
  const text = 'Twas brillig, and the slithy toves\n'.repeat(2000);  // 70 KB: more than the page shows
  await page.setInputFiles('#wasi-file', { name: 'jabberwocky.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.click('#wasi-run');
  await page.waitForSelector('body[data-wasi="exit-0"]');
  const shown = await page.textContent('#wasi-output');
  assert.ok(shown.startsWith('Twas brillig, and the slithy toves\nTwas brillig'), shown.slice(0, 80));
  assert.match(shown, /… \(\d+ more bytes\)$/);
  assert.match(await page.textContent('#wasi-status'), new RegExp(`^exit code 0: ${text.length} bytes from jabberwocky.txt through stdin and stdout`));
  await shoot('#wasi-panel', 'demo-wasi');
  assert.deepEqual(consoleErrors, []);
});
