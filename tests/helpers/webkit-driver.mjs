// WebKitGTK's MiniBrowser driven over plain WebDriver (JSON over HTTP; no npm package),
// as a page object with the part of playwright's and puppeteer's Page the browser suites
// use: goto, evaluate, on/off('console' | 'pageerror'), screenshot. WebKitWebDriver runs
// under xvfb-run (MiniBrowser has no headless mode) and sends no console events, so each
// page's console and errors are hooked in the page and read after every evaluate.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';

export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const webkitMissing = [WEBKIT_DRIVER, MINIBROWSER, '/usr/bin/xvfb-run'].every(existsSync)
  ? false
  : `WebKitGTK's WebDriver not found (apt-get install webkit2gtk-driver xvfb)`;

// Installed in every page after it loads: console messages and uncaught errors, queued.
const HOOK = `
  if (!window.__cmbridgeConsole) {
    const queue = window.__cmbridgeConsole = [];
    for (const type of ['log', 'info', 'warn', 'error', 'debug']) {
      const original = console[type].bind(console);
      console[type] = (...args) => { queue.push({ type, text: args.map(String).join(' ') }); original(...args); };
    }
    addEventListener('error', (e) => queue.push({ type: 'pageerror', text: String(e.error ?? e.message) }));
    addEventListener('unhandledrejection', (e) => queue.push({ type: 'pageerror', text: String(e.reason) }));
  }`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the driver and a MiniBrowser session; resolves to { page, quit }. */
export async function startWebKit() {
  const port = await freePort();
  const driver = spawn('xvfb-run', ['-a', WEBKIT_DRIVER, `--port=${port}`], { stdio: 'ignore', detached: true });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const { value } = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${value?.error}: ${value?.message}`);
    return value;
  };
  for (let i = 0; ; i++) {
    try {
      await call('GET', '/status');
      break;
    } catch (e) {
      if (i > 200) throw new Error(`WebKitWebDriver did not start: ${e.message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const { sessionId } = await call('POST', '/session', {
    capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
  });
  const at = (path) => `/session/${sessionId}${path}`;
  await call('POST', at('/timeouts'), { script: 30 * 60 * 1000 });
  const listeners = { console: new Set(), pageerror: new Set() };
  const drainConsole = async () => {
    const queued = await call('POST', at('/execute/sync'), { script: 'return (window.__cmbridgeConsole ?? []).splice(0);', args: [] });
    for (const m of queued ?? []) {
      if (m.type === 'pageerror') for (const f of listeners.pageerror) f(new Error(m.text));
      else for (const f of listeners.console) f({ type: () => m.type, text: () => m.text });
    }
  };
  const page = {
    async goto(url) {
      await call('POST', at('/url'), { url });
      await call('POST', at('/execute/sync'), { script: HOOK, args: [] });
    },
    // fn: a function (its source runs in the page) or a string; its Promise is awaited.
    async evaluate(fn, ...args) {
      const source = typeof fn === 'function' ? fn.toString() : `() => (${fn})`;
      const result = await call('POST', at('/execute/async'), {
        script: `const done = arguments[arguments.length - 1];
          Promise.resolve().then(() => (${source})(...Array.prototype.slice.call(arguments, 0, -1)))
            .then((value) => done({ value }), (e) => done({ error: String(e?.message ?? e), stack: String(e?.stack ?? '') }));`,
        args,
      });
      await drainConsole();
      if ('error' in result) throw new Error(`in WebKit: ${result.error}\n${result.stack}`);
      return result.value;
    },
    on(event, f) { listeners[event]?.add(f); },
    off(event, f) { listeners[event]?.delete(f); },
    async screenshot({ path }) {
      await writeFile(path, Buffer.from(await call('GET', at('/screenshot')), 'base64'));
    },
  };
  const quit = async () => {
    // (A page stuck in a loop may never answer: the driver is killed after a moment.)
    await Promise.race([call('DELETE', at('')).catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000).unref?.())]);
    try {
      process.kill(-driver.pid);
    } catch {
      // already gone
    }
  };
  return { page, quit };
}
