#!/usr/bin/env node
// The command line: `cmbridge run component.wasm --invoke 'add(1, 2)'` prints `3`.
// Arguments and results are WAVE, the value syntax Wasmtime's `--invoke` uses.
// `cmbridge wit` and `cmbridge types` describe a component (js/tools/commands.mjs).
// Errors go to stderr with exit code 1.
import { readFile } from 'node:fs/promises';
import { Component, ComponentError } from './index.mjs';
import { formatValue, parseArguments, parseCall } from './wave.mjs';
import { lowerCamelCase } from './names.mjs';
import { TOOL_USAGE, typesCommand, witCommand } from './tools/commands.mjs';

const USAGE = `usage: cmbridge run <component.wasm> --invoke '<name>(<args in WAVE>)'
       cmbridge wit <component.wasm>
       cmbridge types <component.wasm> -o <dir>

  run       compile and instantiate a component, then call one export
  --invoke  the call, e.g. 'add(1, 2)' or 'greet("web")'; an export of an exported
            interface is 'interface-name#func(...)', e.g. 'local:demo/api#do-thing(1)'
${TOOL_USAGE}`;

class UsageError extends Error {}

async function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'wit') return witCommand(rest, (message) => new UsageError(message));
  if (command === 'types') return typesCommand(rest, (message) => new UsageError(message));
  if (command !== 'run') throw new UsageError(`unknown command \`${command}\``);
  let file;
  let invoke;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--invoke') invoke = rest[++i];
    else if (rest[i].startsWith('--invoke=')) invoke = rest[i].slice('--invoke='.length);
    else if (file === undefined) file = rest[i];
    else throw new UsageError(`unexpected argument \`${rest[i]}\``);
  }
  if (!file) throw new UsageError('missing the component file');
  if (invoke === undefined) throw new UsageError('missing --invoke (running wasi:cli/run commands is not supported yet)');

  const call = parseCall(invoke);
  const component = await Component.compile(await readFile(file));
  const { exports } = await component.instantiate({});
  const fn = findExport(exports, call.name);
  const type = fn[Symbol.for('cmbridge.type')];
  const args = parseArguments(call.args, type.params);
  let result;
  try {
    result = await fn(...args);
    if (type.result?.kind === 'result') result = { tag: 'ok', val: result };
  } catch (e) {
    if (!(e instanceof ComponentError) || type.result?.kind !== 'result') throw e;
    result = { tag: 'err', val: e.payload };
  }
  if (type.result) console.log(formatValue(result, type.result));
  return 0;
}

function findExport(exports, name) {
  const hash = name.indexOf('#');
  if (hash !== -1) {
    const iface = exports[name.slice(0, hash)];
    if (!iface || typeof iface !== 'object') throw new Error(`the component exports no interface \`${name.slice(0, hash)}\``);
    return findExport(iface, name.slice(hash + 1));
  }
  const fn = exports[name] ?? exports[lowerCamelCase(name)];
  if (typeof fn !== 'function') {
    const names = Object.keys(exports).join(', ') || '(none)';
    throw new UsageError(`the component exports no function \`${name}\` (exports: ${names})`);
  }
  return fn;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    const text = e instanceof UsageError ? `${e.message}\n\n${USAGE}` : e.constructor === Error ? e.message : `${e.name}: ${e.message}`;
    console.error(`cmbridge: ${text}`);
    process.exit(1);
  },
);
