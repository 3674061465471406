// What tests/browser/strict-csp.test.mjs does in the page: counts the page's CSP
// violations, then uses the package as an application would (?codegen=false first tells
// it not to try making code from strings). It runs at load, from the page's own module:
// code a test runs through the DevTools protocol (page.evaluate) is exempt from the
// policy's eval rule, so the results are only read that way.
import { Component, configureEngine } from '/js/index.mjs';

const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
if (new URL(location.href).searchParams.get('codegen') === 'false') configureEngine({ codegen: false });

function evalBlocked() {
  try {
    new Function('return 1');  // eslint-disable-line no-new-func
    return false;
  } catch {
    return true;
  }
}

const components = new URL('/build/test-components/', location.href);
const bytes = async (name) => new Uint8Array(await (await fetch(new URL(`${name}.wasm`, components))).arrayBuffer());

async function run() {
    const [add, keeper, caller] = await Promise.all(['add', 'keeper', 'async-host-caller'].map(bytes));
    const results = {};
    const adder = (await (await Component.compile(add)).instantiate()).exports;
    results.add = adder.add(40, 2);
    class Thing { constructor(id) { this.n = id; } id() { return this.n; } }
    const k = (await (await Component.compile(keeper)).instantiate({ 'test:host/things': { Thing } })).exports;
    const r = new k.R(7);
    results.resource = [r.get(), k.thingId(new Thing(9))];
    r[Symbol.dispose ?? Symbol.for('dispose')]();  // (WebKit has no Symbol.dispose: the package falls back to this one)
    results.dropped = k.dropped();
    const c = (await (await Component.compile(caller)).instantiate({
      'fetch-value': async (x) => x * 10,
    })).exports;
    results.async = await c.sum(3, 4);
    // Let any violation event of the calls above arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    results.violations = [...violations];  // cmbridge's, if any
    results.evalBlocked = evalBlocked();     // the page's own check: one more
    return results;
}

globalThis.cspResults = await run().catch((e) => ({ error: `${e?.name}: ${e?.message}` }));
