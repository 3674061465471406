// The npm package as its users get it (issue 4, "The npm package"): `npm pack`, the
// tarball installed offline into an empty project, and used there by its name:
// - in Node 20: a script, the CLI, and configureEngine with bytes, a URL and a path;
// - in Chromium as plain ES modules (an import map names the package), with the engine
//   found next to its module or supplied by URL, bytes or Response;
// - in Chromium after a Vite 7 production build, which must ship engine.wasm itself, and
//   under Vite's dev server (with the package kept out of dependency pre-bundling);
// - with TypeScript: strict use compiles, misuse fails with the expected errors.
// And what the tarball holds, with its size (printed, not asserted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../scripts/prerequisites.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { chromiumMissing, openBrowser } from '../helpers/browser.mjs';
import { componentBytes, watToBytes } from '../helpers/components.mjs';
import { childEnv, copyFixture, fixturesDir, packAndInstall, run } from './packed-project.mjs';

const VITE = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
const TSC = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const DEFAULT_ENGINE = '/node_modules/cmbridge/js/engine/engine.wasm';

let packed;   // { pack, tarball, project, remove }
let project;
let engineBytes;
let browser;

before(async () => {
  packed = await packAndInstall();
  project = packed.project;
  engineBytes = await readFile(path.join(project, DEFAULT_ENGINE));
  const components = {
    'hello.wasm': await watToBytes(await readFile(path.join(repoRoot, 'web-demo', 'components', 'hello.wat'), 'utf8')),
    'streams.wasm': await componentBytes('streams'),
    'add.wasm': await componentBytes('add'),
  };
  // Node scripts run in the project's root, the plain page in web/, the Vite app in vite/
  // (whose public/ Vite copies into the build); each has the components and a copy of the
  // engine under hosted/ for configureEngine.
  await copyFixture(project, 'node/use.mjs', 'use.mjs');
  await copyFixture(project, 'node/engine-config.mjs', 'engine-config.mjs');
  await copyFixture(project, 'web');
  await copyFixture(project, 'vite');
  await copyFile(path.join(fixturesDir, 'web', 'main.mjs'), path.join(project, 'vite', 'main.mjs'));
  for (const dir of ['.', 'web', path.join('vite', 'public')]) {
    await mkdir(path.join(project, dir, 'hosted'), { recursive: true });
    await writeFile(path.join(project, dir, 'hosted', 'engine.wasm'), engineBytes);
    for (const [name, bytes] of Object.entries(components)) await writeFile(path.join(project, dir, name), bytes);
  }
  if (!chromiumMissing) browser = await openBrowser({ root: project });
});

after(async () => {
  await browser?.close();
  await packed?.remove();
});

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

test('the tarball holds the engine, the JS, the types and README, and nothing else', (t) => {
  const { pack } = packed;
  const files = pack.files.map((f) => f.path);
  const shipped = [/^README\.md$/, /^package\.json$/, /^js\/([\w-]+\/)*[\w.-]+\.mjs$/, /^js\/([\w-]+\/)*[\w.-]+\.d\.ts$/,
    /^js\/engine\/engine\.wasm$/, /^js\/examples\/hello\.wasm$/];
  assert.deepEqual(files.filter((f) => !shipped.some((re) => re.test(f))), [], 'files that should not ship');
  for (const f of ['README.md', 'package.json', 'js/index.mjs', 'js/index.d.ts', 'js/cli.mjs', 'js/engine-loader.mjs',
    'js/engine/engine.mjs', 'js/engine/engine-strict.mjs', 'js/engine/engine.wasm', 'js/examples/hello.wasm']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  const engine = pack.files.find((f) => f.path === 'js/engine/engine.wasm');
  t.diagnostic(`package size: ${kB(pack.size)} packed, ${kB(pack.unpackedSize)} unpacked, ${files.length} files ` +
    `(engine.wasm ${kB(engine.size)}, the rest ${kB(pack.unpackedSize - engine.size)})`);
});

// The README's quick start, as written: the first ```js (Node) and ```html (Browser)
// blocks under "## Quick start".
async function quickStartSnippets() {
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('## Quick start');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const block = (lang) => new RegExp(`\`\`\`${lang}\n([\\s\\S]*?)\`\`\``).exec(section)[1];
  return { node: block('js'), html: block('html') };
}

test("the README's Node quick start runs as written in the installed package's project", async () => {
  const { node } = await quickStartSnippets();
  await writeFile(path.join(project, 'quick-start.mjs'), node);
  const { code, stdout, stderr } = await run(process.execPath, ['quick-start.mjs'], { cwd: project });
  assert.equal(code, 0, stderr);
  assert.equal(stdout, '42\nlog: Hello, Node!\nHello, Node!\n');
});

test("the README's first command lines run as written in the installed package's project", async () => {
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('### Command line');
  const lines = /```sh\n([\s\S]*?)```/.exec(readme.slice(start))[1].split('\n').filter((l) => l.includes('examples/hello.wasm'));
  assert.equal(lines.length, 2, lines.join('\n'));
  const shell = (line) => run('sh', ['-c', line.replace(/\s+#.*$/, '')], { cwd: project });
  assert.deepEqual(await shell(lines[0]), { code: 0, stdout: '3\n', stderr: '' });
  const wit = await shell(lines[1]);
  assert.equal(wit.code, 0, wit.stderr);
  assert.match(wit.stdout, /import log: func\(message: string\);/);
  assert.match(wit.stdout, /export add: func\(a: u32, b: u32\) -> u32;/);
});

test("the README's browser quick start runs as written, from the project's root", { skip: chromiumMissing }, async () => {
  const { html } = await quickStartSnippets();
  await writeFile(path.join(project, 'quick-start.html'), `<!doctype html>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n${html}`);
  const { page, consoleErrors } = browser;
  consoleErrors.length = 0;
  await page.goto(`${browser.url}/quick-start.html`);
  await page.waitForFunction(() => document.body.textContent === 'Hello, web!', null, { timeout: 60_000 });
  assert.deepEqual(consoleErrors, []);
});

test('Node: the installed package compiles, instantiates and calls components', async () => {
  const { code, stdout, stderr } = await run(process.execPath, ['use.mjs'], { cwd: project });
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), {
    add: 42,
    greet: 'Hello, Node!',
    logs: ['Hello, Node!'],
    sum: 4,
    reversed: [3, 2, 1],
    badArgument: 'TypeError',
    produced: 1000,
    ordered: true,
    consumed: [4, 10],
    passed: [5, 6, 7],
    abortedWithReason: true,
    taskTreeInstances: 1,
    deadlocked: 0,
    trapIsRuntimeError: true,
  });
});

for (const mode of ['bytes', 'url', 'path']) {
  test(`Node: configureEngine refuses bad input, reports sources that fail, then takes the engine as ${mode}`, async () => {
    const { code, stdout, stderr } = await run(process.execPath, ['engine-config.mjs', mode], { cwd: project });
    assert.equal(code, 0, stderr);
    const steps = JSON.parse(stdout);
    const expects = 'configureEngine expects { wasm }: the engine .wasm as a Uint8Array, ArrayBuffer, Response, URL or URL string';
    assert.deepEqual(steps['a number'], { error: 'TypeError', message: expects });
    assert.deepEqual(steps['no options'], { error: 'TypeError', message: expects });
    assert.equal(steps['bytes that are no engine'].error, 'Error');
    assert.match(steps['bytes that are no engine'].message, /^cannot start the cmbridge engine from 9 bytes: CompileError: /);
    assert.deepEqual(steps['an HTML page'], {
      error: 'Error',
      message: 'cannot start the cmbridge engine from 35 bytes: not a WebAssembly binary but an HTML page ' +
        '(a server\'s fallback for a missing file? Vite\'s dev server needs optimizeDeps: { exclude: [\'cmbridge\'] })',
    });
    assert.equal(steps['a missing file'].error, 'Error');
    assert.match(steps['a missing file'].message, /^cannot load the cmbridge engine from file:\/\/\S+\/missing\/engine\.wasm: ENOENT/);
    assert.deepEqual(steps.configured, { ok: 42 });
    assert.deepEqual(steps['configured again after use'],
      { error: 'Error', message: 'configureEngine() must be called before the engine is first used' });
  });
}

test('Node: the installed CLI runs a component', async () => {
  const cli = path.join(project, 'node_modules', '.bin', 'cmbridge');
  const { code, stdout, stderr } = await run(cli, ['run', 'add.wasm', '--invoke', 'add(1, 2)'], { cwd: project });
  assert.equal(code, 0, stderr);
  assert.equal(stdout, '3\n');
});

// The app (fixtures/web/main.mjs) reports into window.appResult; what it should see.
const APP_RESULT = {
  add: 42, greet: 'Hello, web!', logs: ['Hello, web!'], reversed: [3, 2, 1], produced: 1000, ordered: true,
  passed: [5, 6, 7], trapped: true, engineError: null,
};

/** Loads `url` in the browser; resolves to { result, requests (paths), consoleErrors }. */
async function runApp(url) {
  const { page, consoleErrors } = browser;
  consoleErrors.length = 0;
  const requests = [];
  const onRequest = (request) => requests.push(new URL(request.url()).pathname);
  page.on('request', onRequest);
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.appResult !== undefined, null, { timeout: 120_000 });
    return { result: await page.evaluate(() => window.appResult), requests, consoleErrors: [...consoleErrors] };
  } finally {
    page.off('request', onRequest);
  }
}

test('Chromium, plain ES modules: the engine is found next to its module', { skip: chromiumMissing }, async () => {
  const { result, requests, consoleErrors } = await runApp(`${browser.url}/web/index.html`);
  assert.deepEqual(result, APP_RESULT);
  assert.ok(requests.includes(DEFAULT_ENGINE), `the default engine was fetched (${requests.join(' ')})`);
  assert.ok(!requests.includes('/web/hosted/engine.wasm'));
  assert.deepEqual(consoleErrors, []);
});

for (const mode of ['url', 'bytes', 'response']) {
  test(`Chromium, plain ES modules: configureEngine with ${mode === 'bytes' ? 'bytes' : `a ${mode}`}`, { skip: chromiumMissing }, async () => {
    const { result, requests, consoleErrors } = await runApp(`${browser.url}/web/index.html?engine=${mode}`);
    assert.deepEqual(result, APP_RESULT);
    assert.ok(requests.includes('/web/hosted/engine.wasm'), `the supplied engine was fetched (${requests.join(' ')})`);
    assert.ok(!requests.includes(DEFAULT_ENGINE), 'the default engine was not fetched');
    assert.deepEqual(consoleErrors, []);
  });
}

test('Chromium, plain ES modules: an engine URL that fails is reported, and another may then be supplied', { skip: chromiumMissing }, async () => {
  const { result, requests, consoleErrors } = await runApp(`${browser.url}/web/index.html?engine=missing-then-url`);
  const missing = `${browser.url}/web/missing/engine.wasm`;
  assert.deepEqual(result, { ...APP_RESULT, engineError: `TypeError: cannot load the cmbridge engine from ${missing}: HTTP 404` });
  assert.ok(requests.includes('/web/hosted/engine.wasm'));
  assert.ok(!requests.includes(DEFAULT_ENGINE));
  // The browser reports the 404 itself; nothing else went to the console.
  assert.deepEqual(consoleErrors, ['Failed to load resource: the server responded with a status of 404 (Not Found)']);
});

test('Vite 7 production build: engine.wasm ships as an asset and the app runs in Chromium', async (t) => {
  const app = path.join(project, 'vite');
  const build = await run(process.execPath, [VITE, 'build', '--logLevel', 'info'], { cwd: app });
  assert.equal(build.code, 0, `${build.stderr}${build.stdout}`);
  const log = `${build.stdout}${build.stderr}`;
  // Binaryen (the npm package, 13 MB) is a chunk of its own, fetched only where a component
  // must rewrite its core modules for Asyncify (no JSPI: Safari). Vite notes its size and
  // its Node branch (`node:module`); anything else it says is ours to fix.
  const oversized = [...log.matchAll(/^dist\/assets\/(\S+\.js)\s+([\d,.]+) kB/gm)].filter(([, , kB]) => Number(kB.replaceAll(',', '')) > 500);
  assert.deepEqual(oversized.map(([, name]) => name.replace(/-[\w-]+\.js$/, '')), ['binaryen'], `chunks over 500 kB, from Vite's log:\n${log}`);
  const ours = log.replace(/^\[plugin vite:resolve\] Module "node:module" has been externalized .*node_modules\/binaryen\/index\.js.*$/m, '')
    .replace(/^\(!\) Some chunks are larger than 500 kB[\s\S]*?chunkSizeWarningLimit\.$/m, '');
  assert.doesNotMatch(ours, /externalized for browser compatibility|warning|\(!\)/i, 'Vite built without warnings of ours');
  const dist = path.join(app, 'dist');
  const assets = await readdir(path.join(dist, 'assets'));
  const engineAsset = assets.find((name) => /^engine-[\w-]+\.wasm$/.test(name));
  assert.ok(engineAsset, `engine.wasm is among the assets (${assets.join(' ')})`);
  assert.ok(engineBytes.equals(await readFile(path.join(dist, 'assets', engineAsset))));
  const js = assets.filter((name) => name.endsWith('.js'));
  t.diagnostic(`Vite output: ${assets.join(', ')}`);
  assert.ok(js.length >= 1);

  if (chromiumMissing) return t.skip(chromiumMissing);
  const server = await startServer({ root: dist });
  try {
    const byDefault = await runApp(`${server.url}/index.html`);
    assert.deepEqual(byDefault.result, APP_RESULT);
    assert.ok(byDefault.requests.includes(`/assets/${engineAsset}`), `the bundled engine was fetched (${byDefault.requests.join(' ')})`);
    assert.deepEqual(byDefault.consoleErrors, []);

    const supplied = await runApp(`${server.url}/index.html?engine=bytes`);
    assert.deepEqual(supplied.result, APP_RESULT);
    assert.ok(supplied.requests.includes('/hosted/engine.wasm'));
    assert.ok(!supplied.requests.includes(`/assets/${engineAsset}`), 'the bundled engine was not fetched');
    assert.deepEqual(supplied.consoleErrors, []);
  } finally {
    await server.close();
  }
});

test('Vite 7 dev server, with cmbridge kept out of dependency pre-bundling: the app runs in Chromium', { skip: chromiumMissing }, async () => {
  const app = path.join(project, 'vite');
  const port = await freePort();
  const dev = spawn(process.execPath, [VITE, '--config', 'dev.config.mjs', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: app, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(dev, 'exit');
  try {
    await outputMatches(dev, /ready in/);
    const { result, requests, consoleErrors } = await runApp(`http://127.0.0.1:${port}/index.html`);
    assert.deepEqual(result, APP_RESULT);
    assert.ok(requests.some((p) => p.endsWith('/node_modules/cmbridge/js/engine/engine.wasm')), `the package's engine was fetched (${requests.join(' ')})`);
    assert.deepEqual(consoleErrors, []);
  } finally {
    dev.kill();
    await exited;
  }
});

/** A TCP port free now on 127.0.0.1. */
async function freePort() {
  const server = createNetServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once the child's output matches `pattern`; rejects if it exits first. */
function outputMatches(child, pattern) {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk) => {
      text += chunk;
      if (pattern.test(text)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing ${pattern}:\n${text}`)));
  });
}

// tsc over a file of the project's types/ folder, strict, against the installed package.
async function tsc(file, moduleOptions) {
  const cwd = path.join(project, 'types');
  const args = [TSC, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom', ...moduleOptions, file];
  return run(process.execPath, args, { cwd });
}

test('TypeScript: a strict use of the whole API compiles against the installed package', async () => {
  await copyFixture(project, 'types');
  for (const moduleOptions of [['--module', 'nodenext'], ['--module', 'esnext', '--moduleResolution', 'bundler']]) {
    const { code, stdout, stderr } = await tsc('usage.ts', moduleOptions);
    assert.equal(`${stdout}${stderr}`, '', `tsc ${moduleOptions.join(' ')} reports nothing`);
    assert.equal(code, 0);
  }
});

test('TypeScript: misuse of the API does not compile, each with the expected error', async () => {
  await copyFixture(project, 'types');
  const source = await readFile(path.join(project, 'types', 'misuse.ts'), 'utf8');
  const expected = {};
  source.split('\n').forEach((line, i) => {
    const marker = /\/\/ expect (TS\d+)$/.exec(line);
    if (marker) expected[i + 1] = [marker[1]];
  });
  assert.ok(Object.keys(expected).length >= 10);
  const { code, stdout } = await tsc('misuse.ts', ['--module', 'nodenext']);
  assert.notEqual(code, 0, 'tsc fails');
  const reported = {};
  for (const [, line, errorCode] of stdout.matchAll(/^misuse\.ts\((\d+),\d+\): error (TS\d+):/gm)) {
    (reported[line] ??= []).push(errorCode);
  }
  assert.deepEqual(reported, expected, stdout);
});

test('the declared value exports are exactly the module\'s exports', async () => {
  const usage = await readFile(path.join(fixturesDir, 'types', 'usage.ts'), 'utf8');
  const declared = /const valueExports[^=]*= \{([^}]*)\}/.exec(usage)[1].match(/\w+(?=: true)/g).sort();
  const module = await import(pathToFileURL(path.join(project, 'node_modules', 'cmbridge', 'js', 'index.mjs')).href);
  assert.deepEqual(Object.keys(module).sort(), declared);
});
