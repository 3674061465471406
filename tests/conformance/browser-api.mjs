// Our public API shape (Component.compile / component.instantiate / instance.exports),
// carried out in a browser (Chromium, or the engine CMBRIDGE_TEST_BROWSER names:
// helpers/browser.mjs testBrowser): the page (browser-page.html + browser-page.mjs)
// imports the package from /js/ as any web page would, and this side forwards each
// compile, instantiate and call to it. The WAST runner cannot tell the difference: the
// values it gets back are rebuilt here (wire.mjs), errors as instances of this realm's
// WebAssembly.CompileError / LinkError / RuntimeError / TypeError / RangeError (a trap is
// our ComponentTrap, a returned result error our ComponentError with its payload).
//
//   const session = await openBrowserSession();
//   const { api, apiError } = await session.load();   // a fresh page, once per script
//   await runScript(source, { api, apiError });
//   await session.close();
//
// Components, instances and functions stay in the page; Node holds mirrors that name them
// by id. Mirrors are only good until the next load().
import { ComponentError, ComponentTrap } from '../../js/errors.mjs';
import { testBrowser } from '../helpers/browser.mjs';
import { TYPE_SYMBOL } from './wast-runner.mjs';
import { decode, encode } from './wire.mjs';

export const PAGE_PATH = '/tests/conformance/browser-page.html';

const HANDLE = Symbol('page handle');
// How long a probe of the page may take before a silent page counts as hung.
const PROBE_MS = 2000;
const LOAD_MS = 15000;

const KNOWN_ERRORS = { ComponentTrap, ComponentError };

/**
 * Starts the server and Chromium. `watchdogMs`: how long a request may run before the page
 * is probed; a page that no longer answers (a guest in an endless loop) is replaced at the
 * next load(), and requests fail fast until then.
 */
export async function openBrowserSession({ watchdogMs = 3000 } = {}) {
  const browser = await testBrowser.open();
  return new BrowserSession(browser, watchdogMs);
}

const POLL_MS = 5;

class BrowserSession {
  constructor(browser, watchdogMs) {
    this.browser = browser;
    this.watchdogMs = watchdogMs;
    this.page = null;
    this.generation = 0;
    this.hung = null; // why the current page cannot be used, or null
    this.consoleErrors = [];
    this.browserVersion = browser.page.context?.().browser()?.version() ?? '';
    // WebDriver runs one script in the page at a time: a request is started there and its
    // reply polled for, so that one waiting on the guest holds nothing up.
    this.polled = testBrowser.name === 'WebKit';
    this.features = null;  // core wasm features the page's engine has (browser-page.mjs)
    this.mirrors = new Map(); // page id -> Node mirror, for this generation
    this.usePage(browser.page);
  }

  usePage(page) {
    this.page = page;
    this.hung = null;
    // A replaced page's last words are not the new page's business.
    const current = () => this.page === page;
    page.on('console', (msg) => {
      if (current() && msg.type() === 'error') this.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => {
      if (current()) this.consoleErrors.push(String(err));
    });
    page.on('crash', () => {
      if (current()) this.hung ??= 'the page crashed';
    });
  }

  /**
   * A fresh page (the previous one's components and instances are gone): resolves to
   * { api, apiError } for runScript. A hung or crashed page is closed and replaced.
   */
  async load() {
    this.generation++;
    this.mirrors = new Map();
    this.consoleErrors = [];
    let error;
    // A page that cannot even be reloaded (hung without a request noticing) gets one
    // more chance as a new page.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.hung) await this.replacePage();
      try {
        await this.page.goto(`${this.browser.url}${PAGE_PATH}`, { timeout: LOAD_MS });
        const loadError = await this.page.evaluate(async () => {
          const loaded = await globalThis.wastHost;
          if (loaded.error) return loaded.error;
          globalThis.wastHandle = loaded.host.handle;
          globalThis.wastStart = loaded.host.start;
          globalThis.wastPoll = loaded.host.poll;
          return null;
        });
        if (loadError) return { api: null, apiError: `cannot load the package in ${testBrowser.name}: ${loadError}` };
        this.features ??= await this.request('features', {});
        const api = {
          Component: { compile: (bytes) => this.compile(bytes) },
          detectDeadlocks: () => this.request('detectDeadlocks', {}),
        };
        return { api, apiError: undefined };
      } catch (e) {
        error = e;
        this.hung ??= `the page did not load: ${e.message}`;
      }
    }
    return { api: null, apiError: `cannot open the conformance page in ${testBrowser.name}: ${error.message}` };
  }

  async replacePage() {
    if (!this.page.context) {
      // A WebDriver page: a new browser (the hung one's session is ended with it).
      await this.browser.close().catch(() => {});
      this.browser = await testBrowser.open();
      this.usePage(this.browser.page);
      return;
    }
    const context = this.page.context();
    await this.page.close({ runBeforeUnload: false }).catch(() => {});
    this.usePage(await context.newPage());
  }

  async close() {
    this.generation++;
    await this.browser.close();
  }

  // ---- requests ----------------------------------------------------------------------

  async compile(bytes) {
    const { id } = await this.request('compile', { bytes: this.send(bytes) });
    const session = this;
    return {
      async instantiate(imports) {
        const { exports } = await session.request('instantiate', { component: id, imports: session.send(imports) });
        return { exports: session.mirror(exports) };
      },
    };
  }

  /** A value sent to the page and back (the page decodes and re-encodes it). */
  async echo(value) {
    return this.receive(await this.request('echo', { value: this.send(value) }));
  }

  async call(id, args) {
    return this.receive(await this.request('call', { fn: id, args: this.send(args) }));
  }

  // Sends one request; what the package threw in the page is thrown here, rebuilt.
  async request(method, body) {
    if (this.hung) throw new Error(`the browser page is unusable: ${this.hung}`);
    const call = this.polled ? this.startAndPoll(method, body) : this.page.evaluate(([m, json]) => globalThis.wastHandle(m, json), [method, JSON.stringify(body)]);
    const { ok, threw } = JSON.parse(await this.watch(call));
    if (threw !== undefined) throw this.receive(threw);
    return ok;
  }

  async startAndPoll(method, body) {
    const generation = this.generation;
    const id = await this.page.evaluate((m, json) => globalThis.wastStart(m, json), method, JSON.stringify(body));
    for (;;) {
      if (generation !== this.generation || this.hung) return new Promise(() => {});  // the watchdog answers
      const reply = await this.page.evaluate((i) => globalThis.wastPoll(i), id);
      if (reply !== null) return reply;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  // A request that has not settled after watchdogMs is fine if the page still answers (a
  // promise that never settles: the runner times it out); if the page does not, it is
  // stuck in a loop, and nothing more can run in it.
  watch(call) {
    const generation = this.generation;
    return new Promise((resolve, reject) => {
      let settled = false;
      let timer;
      const settle = (f) => (v) => {
        settled = true;
        clearTimeout(timer);
        f(v);
      };
      call.then(settle(resolve), settle(reject));
      const probe = async () => {
        if (settled || generation !== this.generation || this.hung) return;
        let probeTimer;
        const alive = await Promise.race([
          this.page.evaluate(() => true).catch(() => false),
          new Promise((r) => { probeTimer = setTimeout(() => r(false), PROBE_MS); }),
        ]);
        clearTimeout(probeTimer);
        if (settled || generation !== this.generation) return;
        if (!alive) {
          this.hung = `a request did not return within ${this.watchdogMs} ms and the page stopped answering (a guest in an endless loop?)`;
          settle(reject)(new Error(`the browser page is unusable: ${this.hung}`));
          return;
        }
        timer = setTimeout(probe, this.watchdogMs);
        timer.unref?.();
      };
      timer = setTimeout(probe, this.watchdogMs);
      timer.unref?.();
    });
  }

  // ---- values ------------------------------------------------------------------------

  send(value) {
    return encode(value, (v) => {
      const handle = v[HANDLE];
      if (handle === undefined) return undefined;
      if (handle.generation !== this.generation) throw new Error('a value from an earlier page load cannot be sent (the page was reloaded)');
      return { id: handle.id, kind: handle.kind };
    });
  }

  receive(node) {
    return decode(node, {
      deref: ({ id, kind }) => this.mirrorOf(id, kind),
      errorClass: (name, Base) => (KNOWN_ERRORS[name]?.prototype instanceof Base ? KNOWN_ERRORS[name] : undefined),
    });
  }

  // The Node face of an exports tree described by the page: namespaces as frozen objects
  // with the same own members (enumerable or not), functions as async functions that call
  // the page, carrying the type description the runner reads.
  mirror(desc) {
    switch (desc.t) {
      case 'value':
        return this.receive(desc.value);
      case 'function': {
        const fn = this.mirrorOf(desc.id, 'function');
        if (desc.name) Object.defineProperty(fn, 'name', { value: desc.name, configurable: true });
        if (desc.type !== undefined && !(TYPE_SYMBOL in fn)) {
          Object.defineProperty(fn, TYPE_SYMBOL, { value: this.receive(desc.type) });
        }
        return fn;
      }
      case 'namespace': {
        if (this.mirrors.has(desc.id)) return this.mirrors.get(desc.id);
        const out = {};
        this.mirrors.set(desc.id, out);
        Object.defineProperty(out, HANDLE, { value: { id: desc.id, kind: 'namespace', generation: this.generation } });
        for (const { name, enumerable, value } of desc.members) {
          Object.defineProperty(out, name, { value: this.mirror(value), enumerable });
        }
        return Object.freeze(out);
      }
      default:
        throw new TypeError(`unknown exports description ${JSON.stringify(desc.t)}`);
    }
  }

  // One mirror per page value: a function calls it; anything else (a resource handle) is
  // an opaque token that can only be sent back.
  mirrorOf(id, kind) {
    if (this.mirrors.has(id)) return this.mirrors.get(id);
    const session = this;
    const mirror = kind === 'function'
      ? function (...args) { return session.call(id, args); }
      : Object.create(null, { [Symbol.toStringTag]: { value: `page ${kind}` } });
    Object.defineProperty(mirror, HANDLE, { value: { id, kind, generation: this.generation } });
    this.mirrors.set(id, mirror);
    return mirror;
  }
}
