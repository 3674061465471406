// Host imports declared in WIT: component.instantiate(imports, { wit }) checks the
// component's imports against the declaration before anything is linked, and a mismatch
// is a WebAssembly.LinkError that names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, instantiate } from '../../js/index.mjs';
import { componentBytes, watToBytes, witFileComponent } from '../helpers/components.mjs';

const resources = await Component.compile(await componentBytes('resources'));

class Logger {
  constructor(prefix) { this.prefix = prefix; }
  log(message) { return `${this.prefix}${message}`; }
}
const hostImports = { 'test:host/logging': { Logger } };

const LOGGING = `package test:host;

interface logging {
  resource logger {
    constructor(prefix: string);
    log: func(message: string) -> string;
  }
}

world host {
  import logging;
}
`;

function linkError(pattern) {
  return (e) => e instanceof WebAssembly.LinkError && pattern.test(e.message);
}

test('imports that match the declared WIT link and run', async () => {
  const { exports } = await resources.instantiate(hostImports, { wit: LOGGING });
  assert.equal(exports.useLogger('> ', 'hi'), '> hi');
  // The WIT may declare more than the component imports.
  const more = LOGGING.replace('world host {', 'world host {\n  import extra: func(x: u32) -> string;');
  await resources.instantiate(hostImports, { wit: more });
  await instantiate(await componentBytes('resources'), hostImports, { wit: LOGGING });
});

test('a parameter named otherwise, of another type, a result that differs, a missing function: LinkErrors naming it', async () => {
  await assert.rejects(resources.instantiate(hostImports, { wit: LOGGING.replace('log: func(message: string)', 'log: func(msg: string)') }),
    linkError(/import `test:host\/logging` method `logger\.log`: parameter 1 is named `message` in the component but `msg` in the WIT/));
  await assert.rejects(resources.instantiate(hostImports, { wit: LOGGING.replace('log: func(message: string)', 'log: func(message: list<u8>)') }),
    linkError(/parameter `message` is `string` in the component but `list<u8>` in the WIT/));
  await assert.rejects(resources.instantiate(hostImports, { wit: LOGGING.replace('-> string;', ';') }),
    linkError(/method `logger\.log` returns `string` in the component but nothing in the WIT/));
  await assert.rejects(resources.instantiate(hostImports, { wit: LOGGING.replace('    log: func(message: string) -> string;\n', '') }),
    linkError(/the component imports function `\[method\]logger\.log`, which the WIT does not declare/));
  await assert.rejects(resources.instantiate(hostImports, { wit: 'world host { import log: func(msg: string); }' }),
    linkError(/the component imports `test:host\/logging`, which the WIT does not declare/));
});

test('top-level function imports, sync and async', async () => {
  const component = await Component.compile(await watToBytes(`(component
    (import "host-log" (func $log (param "msg" string)))
    (import "fetch" (func $fetch async (param "url" string) (result string))))`));
  const host = { hostLog() {}, async fetch() { return ''; } };
  await component.instantiate(host, { wit: 'world w { import host-log: func(msg: string); import fetch: async func(url: string) -> string; }' });
  await assert.rejects(component.instantiate(host, { wit: 'world w { import host-log: func(msg: string); import fetch: func(url: string) -> string; }' }),
    linkError(/import `fetch` is async in the component but sync in the WIT/));
  await assert.rejects(component.instantiate(host, { wit: 'world w { import host-log: func(msg: string, level: u8); import fetch: async func(url: string) -> string; }' }),
    linkError(/import `host-log` takes 1 parameters in the component but 2 in the WIT/));
});

test("a component's own WIT declares its imports", async () => {
  const shapes = await Component.compile(await witFileComponent('shapes', 'shapes'));
  class Blob { size() { return 0; } read() { return new Uint8Array(); } type() { return ''; } static merge(a) { return a; } }
  const host = { 'test:shapes/types@1.2.0': { Blob }, clock: { now: () => 0n, sleep() {} }, log() {}, paint() {} };
  await shapes.instantiate(host, { wit: shapes.wit() });
  await resources.instantiate(hostImports, { wit: resources.wit() });
  const changed = shapes.wit().replace('import log: func(msg: string);', 'import log: func(msg: string, more: bool);');
  await assert.rejects(shapes.instantiate(host, { wit: changed }), linkError(/import `log` takes 1 parameters in the component but 2/));
});

test('`world` picks one of several worlds', async () => {
  const two = `${LOGGING}\nworld other {\n  import log: func();\n}\n`;
  await assert.rejects(resources.instantiate(hostImports, { wit: two }), (e) => e instanceof SyntaxError && /several worlds/.test(e.message));
  await resources.instantiate(hostImports, { wit: two, world: 'host' });
  await assert.rejects(resources.instantiate(hostImports, { wit: two, world: 'other' }), WebAssembly.LinkError);
  await assert.rejects(resources.instantiate(hostImports, { wit: two, world: 'none' }), (e) => e instanceof SyntaxError && /no world named `none`/.test(e.message));
});

test('WIT that does not parse is a SyntaxError saying where; wrong option types are TypeErrors', async () => {
  await assert.rejects(resources.instantiate(hostImports, { wit: 'world host {\n  import log: func(msg: strin);\n}' }),
    (e) => e instanceof SyntaxError && /^the declared WIT: WIT 2:\d+: unknown type `strin`$/.test(e.message));
  await assert.rejects(resources.instantiate(hostImports, { wit: 'world host { import log: func(msg: string) }' }),
    (e) => e instanceof SyntaxError && /WIT 1:44: expected `;`, found `}`/.test(e.message));
  await assert.rejects(resources.instantiate(hostImports, { wit: 42 }), TypeError);
  await assert.rejects(resources.instantiate(hostImports, 'world host {}'), TypeError);
});
