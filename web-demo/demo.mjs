// The demo page: compiles a bundled example component straight from its .wasm (no build
// step), instantiates it with a host `log` import, and shows a few calls.
import { Component } from '../js/index.mjs';

const $ = (id) => document.getElementById(id);

function show(value) {
  if (value instanceof Uint8Array) return `Uint8Array [${Array.from(value).join(', ')}]`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

async function main() {
  const started = performance.now();
  const component = await Component.compile(fetch('components/hello.wasm'));
  const { exports } = await component.instantiate({
    log: (message) => { $('log').textContent += `${message}\n`; },
  });
  $('status').textContent = `compiled and instantiated in ${(performance.now() - started).toFixed(1)} ms`;
  for (const name of Object.keys(exports)) {
    const li = document.createElement('li');
    li.textContent = name;
    $('exports').append(li);
  }
  const calls = [
    ['add(2, 40)', () => exports.add(2, 40)],
    ['greet("web")', () => exports.greet('web')],
    ['sum([1.5, 2.25, 3])', () => exports.sum([1.5, 2.25, 3])],
    ['reverse(Uint8Array [1, 2, 3])', () => exports.reverse(new Uint8Array([1, 2, 3]))],
    ['add(-1, 0)', () => exports.add(-1, 0)],
  ];
  for (const [label, call] of calls) {
    const row = $('calls').tBodies[0].insertRow();
    row.insertCell().textContent = label;
    const cell = row.insertCell();
    try {
      cell.textContent = show(call());
    } catch (e) {
      cell.textContent = `${e.name}: ${e.message}`;
      cell.className = 'error';
    }
  }
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  $('status').textContent = `failed: ${e.name}: ${e.message}`;
  $('status').className = 'error';
  document.body.dataset.ready = 'error';
});
