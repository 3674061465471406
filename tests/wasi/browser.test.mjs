// cmbridge/wasi in a headless browser (Chromium, or Firefox under
// CMBRIDGE_TEST_BROWSER=firefox), with the shims' browser builds (resolved by an import
// map, as a bundler would): a componentize-qjs component's plain and async exports, a
// command whose stdout the browser shim writes to the console, line by line, and WASI 0.3:
// wasi:http (a service answering through serve() in the page, requests over the page's
// fetch()), the page's streams as stdio, a MemoryDirectory as the filesystem, sockets
// refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { watToBytes } from '../helpers/components.mjs';
import { testBrowser } from '../helpers/browser.mjs';
import { repoRoot } from '../../scripts/prerequisites.mjs';
import { componentPath } from './componentize.mjs';

let browser;
const served = async (name) => `/${path.relative(repoRoot, await componentPath(name)).split(path.sep).join('/')}`;

let catUrl;
let copyUrl;

before(async () => {
  if (testBrowser.missing) return;
  // The WASI 0.3 cat (component text), made here and served from build/.
  const dir = path.join(repoRoot, 'build', 'test-components');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'p3-cat.wasm'), await watToBytes(await readFile(new URL('../../web-demo/components/wasi-cat.wat', import.meta.url), 'utf8')));
  catUrl = '/build/test-components/p3-cat.wasm';
  await writeFile(path.join(dir, 'p3-copy-file.wasm'), await watToBytes(await readFile(new URL('components/p3-copy-file.wat', import.meta.url), 'utf8')));
  copyUrl = '/build/test-components/p3-copy-file.wasm';
  browser = await testBrowser.open();
  await browser.page.goto(`${browser.url}/tests/helpers/shim-page.html`);
});
after(() => browser?.close());

test(`${testBrowser.name}: a JS-authored component with WASI imports, plain and async exports`, { skip: testBrowser.missing }, async () => {
  const { page, consoleErrors } = browser;
  const result = await page.evaluate(async (file) => {
    const { instantiate } = await import('/js/index.mjs');
    const { wasiImports } = await import('/js/wasi/index.mjs');
    const { exports } = await instantiate(fetch(file), wasiImports());
    return [exports.greet('Chromium'), exports.add(1, 2), await exports.greetLater('browser'), String(await exports.sumLater([1, 2, 3]))];
  }, await served('greeter'));
  assert.deepEqual(result, ['Hello, Chromium!', 3, 'Hello later, browser!', '6']);
  assert.deepEqual(consoleErrors, []);
});

test(`${testBrowser.name}: a command runs; its stdout goes to the console; exit codes`, { skip: testBrowser.missing }, async () => {
  const { page, consoleErrors } = browser;
  const logged = [];
  const onConsole = (message) => { if (message.type() === 'log') logged.push(message.text()); };
  page.on('console', onConsole);
  const codes = await page.evaluate(async (file) => {
    const { Component } = await import('/js/index.mjs');
    const { runCommand } = await import('/js/wasi/index.mjs');
    const component = await Component.compile(fetch(file));
    return [
      await runCommand(component, { args: ['cmd', 'host'], env: { WHERE: 'browser' } }),
      await runCommand(component, { args: ['cmd', 'exit-err'] }),
      await runCommand(component, { args: ['cmd', 'fail'] }),
    ];
  }, await served('command'));
  page.off('console', onConsole);
  assert.deepEqual(codes, [0, 1, 1]);
  assert.deepEqual(logged.slice(0, 5), ['args ["cmd","host"]', 'env [["WHERE","browser"]]', 'clock true', 'random 16', 'done']);
  assert.deepEqual(consoleErrors.filter((e) => e !== 'to stderr'), []);
});

test(`${testBrowser.name}: serve() answers Requests with a wasi:http service, in the page`, { skip: testBrowser.missing }, async () => {
  const { page, consoleErrors } = browser;
  const result = await page.evaluate(async (file) => {
    const { serve, RESPONSE_TRAILERS } = await import('/js/wasi/index.mjs');
    const handler = await serve(fetch(file));
    const hello = await handler(new Request('https://page.example/hello'));
    const echo = await handler(new Request('https://page.example/echo', { method: 'PUT', body: 'from the page', headers: { 'x-tag': 't' } }));
    const trailed = await handler(new Request('https://page.example/trailers'));
    const trailedBody = await trailed.text();
    const trailers = await trailed[RESPONSE_TRAILERS];
    return [hello.status, await hello.text(), await echo.text(), echo.headers.get('x-tag'), echo.headers.get('x-echo-method'), trailedBody, trailers.get('x-checksum')];
  }, await served('http-service'));
  assert.deepEqual(result, [200, 'Hello, WASI!', 'from the page', 't', 'PUT', 'with trailers', 'done']);
  assert.deepEqual(consoleErrors.filter((e) => e !== 'to stderr'), []);
});

test(`${testBrowser.name}: wasi:http client.send goes out through the page's fetch(), only with network`, { skip: testBrowser.missing }, async () => {
  const { page } = browser;
  const result = await page.evaluate(async () => {
    const { wasiP3Imports } = await import('/js/wasi/index.mjs');
    const send = async (network) => {
      const imports = await wasiP3Imports({ network });
      const { Fields, Request, Response } = imports['wasi:http/types@0.3.0'];
      const [request, transmitted] = Request.new(new Fields(), undefined, Promise.resolve({ tag: 'ok', val: undefined }), undefined);
      request.setScheme({ tag: location.protocol === 'https:' ? 'HTTPS' : 'HTTP' });
      request.setAuthority(location.host);
      request.setPathWithQuery('/tests/helpers/shim-page.html');
      try {
        const response = await imports['wasi:http/client@0.3.0'].send(request);
        const [body] = Response.consumeBody(response, Promise.resolve({ tag: 'ok' }));
        const text = await new globalThis.Response(body).text();
        return [response.getStatusCode(), text.includes('cmbridge WASI test page'), (await transmitted).tag];
      } catch (e) {
        return [e.payload?.tag, (await transmitted).val?.tag];
      }
    };
    return [await send(true), await send(false)];
  });
  assert.deepEqual(result, [[200, true, 'ok'], ['HTTP-request-denied', 'HTTP-request-denied']]);
});

test(`${testBrowser.name}: a WASI 0.3 command with the page's own streams as stdin and stdout`, { skip: testBrowser.missing }, async () => {
  const { page } = browser;
  const result = await page.evaluate(async (file) => {
    const { runCommand } = await import('/js/wasi/index.mjs');
    const bytes = new Uint8Array(await (await fetch(file)).arrayBuffer());
    let out = '';
    const stdout = new WritableStream({ write(chunk) { out += new TextDecoder().decode(chunk); } });
    const given = await runCommand(bytes, { stdin: 'typed into the page', stdout });
    const empty = await runCommand(bytes, { stdout: new WritableStream() });  // a page's stdin is empty
    return [given, out, empty];
  }, catUrl);
  assert.deepEqual(result, [0, 'typed into the page', 0]);
});


test(`${testBrowser.name}: a WASI 0.3 command copies a File in a MemoryDirectory; sockets are refused with a reason`, { skip: testBrowser.missing }, async () => {
  const { page } = browser;
  const result = await page.evaluate(async (file) => {
    const { MemoryDirectory, runCommand, wasiP3Imports } = await import('/js/wasi/index.mjs');
    const bytes = new Uint8Array(await (await fetch(file)).arrayBuffer());
    const input = new File(['from a File, '.repeat(10000)], 'input.txt');
    const dir = await MemoryDirectory.from({ 'input.txt': input });
    const code = await runCommand(bytes, { preopens: { '/': dir } });
    const imports = await wasiP3Imports({ network: true });
    let refusal;
    try {
      imports['wasi:sockets/types@0.3.0'].TcpSocket.create('ipv4');
    } catch (e) {
      refusal = e.payload;
    }
    return [code, dir.list(), dir.readText('output.txt') === await input.text(), refusal];
  }, copyUrl);
  assert.deepEqual(result.slice(0, 3), [0, ['input.txt', 'output.txt'], true]);
  assert.equal(result[3].tag, 'other');
  assert.match(result[3].val, /TCP is not available here/);
});
