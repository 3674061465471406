#!/usr/bin/env node
// The command line:
//   cmbridge run [--dir host[::guest]] [--env NAME[=value]] cmd.wasm [args...]
//     runs a WASI command component (one exporting wasi:cli/run); its exit code is ours.
//   cmbridge run component.wasm --invoke 'add(1, 2)'
//     calls one export and prints the result in WAVE, the value syntax Wasmtime's
//     `--invoke` uses.
// Components that import WASI 0.2 get it from @bytecodealliance/preview2-shim in both
// modes, sandboxed: no files but the --dir directories, no host environment but --env.
// `cmbridge wit` and `cmbridge types` describe a component (js/tools/commands.mjs).
// Errors go to stderr with exit code 1.
import v8 from 'node:v8';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Component, ComponentError } from './index.mjs';
import { describeValue, withStubs } from './tools/stub-imports.mjs';
import { formatValue, parseArguments, parseCall } from './wave.mjs';
import { lowerCamelCase } from './names.mjs';
import { exitCodeOf } from './wasi/exit.mjs';
import { TOOL_USAGE, typesCommand, witCommand } from './tools/commands.mjs';

// Toolchains emit extended constant expressions (componentize-qjs does); V8 has them by
// default from Node 22 and behind this flag in Node 20 and 21.
if (Number(process.versions.node.split('.')[0]) < 22) v8.setFlagsFromString('--experimental-wasm-extended-const');

const USAGE = `usage: cmbridge run [options] <component.wasm> [args...]
       cmbridge run [options] <component.wasm> --invoke '<name>(<args in WAVE>)'
       cmbridge serve [options] [--addr host:port] [--workers N] <component.wasm>
       cmbridge wit <component.wasm>
       cmbridge types <component.wasm> -o <dir>

  run       compile and instantiate a component; without --invoke, run it as a WASI
            command (it must export wasi:cli/run) with [args...] as its arguments after
            the file name, and exit with its exit code
  --invoke  call one export instead, e.g. 'add(1, 2)' or 'greet("web")'; a function of an
            exported interface is 'interface#func(...)', the interface named in full, without
            its version or by its short name ('local:demo/api@1.0.0#do-thing(1)',
            'api#do-thing(1)'), or just 'do-thing(1)' when no other export has that name
  serve     run a WASI 0.3 HTTP service (a component exporting wasi:http/handler) as an
            HTTP server until interrupted; --addr says where (default 127.0.0.1:8080),
            --workers N spreads requests over N instances in worker threads
${TOOL_USAGE}

options (before the file):
  --dir host[::guest]   let the component open files under directory \`host\`, seen by it
                        as \`guest\` (default: the same path); none unless given
  --env NAME=value      set an environment variable for the component; --env NAME passes
                        the host's value; none unless given
  --argv0 NAME          the program name the command sees as its first argument
                        (default: the file's name)
  --network             let the component make outgoing requests (wasi:http over
                        fetch(), wasi:sockets); none unless given
  --imports module.mjs  an ES module whose default export is more imports (keys as
                        instantiate() takes them), given beside and over WASI's
  --stub-imports        give every imported function still missing a stub that prints
                        its calls to stderr and returns zeros (0, "", none, ok, the first
                        case), so that the exports can be tried`;

class UsageError extends Error {}

async function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'wit') return witCommand(rest, (message) => new UsageError(message));
  if (command === 'types') return typesCommand(rest, (message) => new UsageError(message));
  if (command !== 'run' && command !== 'serve') throw new UsageError(`unknown command \`${command}\``);
  const options = parseRunArguments(rest, command);
  options.bytes = await readFile(options.file);
  const component = await Component.compile(options.bytes);
  if (command === 'serve') {
    const { parseAddress, serveCommand } = await import('./wasi/http/serve-command.mjs');
    const address = parseAddress(options.addr ?? '127.0.0.1:8080', (message) => new UsageError(message));
    const workers = options.workers === undefined ? 0 : Number(options.workers);
    if (options.workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 256)) {
      throw new UsageError(`--workers \`${options.workers}\`: expected a number of worker threads from 1 to 256`);
    }
    return serveCommand(component, await wasiOptions(options), address, { workers, bytes: options.bytes });
  }
  const own = await ownImports(options);
  if (options.invoke === undefined) {
    const { runCommand, commandExport, wasiImportsFor } = await import('./wasi/command.mjs');
    if (!commandExport(component)) {
      throw new UsageError(`${options.file} is not a WASI command (it exports no wasi:cli/run); call one of its exports with --invoke`);
    }
    const wasiOpts = await wasiOptions(options);
    // Stubs are made for what WASI and the module leave missing, so WASI's imports are made
    // here once more to see which those are; runCommand makes the ones it runs with.
    let extra = own;
    if (options.stubImports) {
      const wasi = await wasiImportsFor(component, wasiOpts);
      const all = withOwnImports(component, wasi, own, options);
      extra = Object.fromEntries(Object.entries(all).filter(([name, value]) => wasi[name] !== value));
    }
    return runCommand(component, { ...wasiOpts, imports: extra });
  }
  const wasi = importsWasi(component) ? await (await import('./wasi/command.mjs')).wasiImportsFor(component, await wasiOptions(options)) : {};
  const call = parseCall(options.invoke);
  const { exports } = await component.instantiate(withOwnImports(component, wasi, own, options));
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

// Options come before the file; after it, `--invoke <call>` (the call mode) or the
// command's own arguments, passed on untouched (a first `--` is dropped).
function parseRunArguments(rest, command = 'run') {
  const options = { dirs: [], env: [], guestArgs: [] };
  let i = 0;
  const value = (name) => {
    const arg = rest[i];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    if (i + 1 >= rest.length) throw new UsageError(`${name} needs a value`);
    return rest[++i];
  };
  for (; i < rest.length && options.file === undefined; i++) {
    const arg = rest[i];
    if (arg === '--invoke' || arg.startsWith('--invoke=')) options.invoke = value('--invoke');
    else if (arg === '--dir' || arg.startsWith('--dir=')) options.dirs.push(value('--dir'));
    else if (arg === '--env' || arg.startsWith('--env=')) options.env.push(value('--env'));
    else if (arg === '--argv0' || arg.startsWith('--argv0=')) options.argv0 = value('--argv0');
    else if (arg === '--network') options.network = true;
    else if (arg === '--imports' || arg.startsWith('--imports=')) options.imports = value('--imports');
    else if (arg === '--stub-imports') options.stubImports = true;
    else if (command === 'serve' && (arg === '--addr' || arg.startsWith('--addr='))) options.addr = value('--addr');
    else if (command === 'serve' && (arg === '--workers' || arg.startsWith('--workers='))) options.workers = value('--workers');
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option \`${arg}\``);
    else options.file = arg;
  }
  if (!options.file) throw new UsageError('missing the component file');
  const after = rest.slice(i);
  if (command === 'serve') {
    if (after.length > 0) throw new UsageError(`unexpected argument \`${after[0]}\` (options of serve come before the file)`);
    if (options.imports !== undefined || options.stubImports) throw new UsageError('--imports and --stub-imports are options of run, not of serve');
    return options;
  }
  if (options.invoke === undefined && (after[0] === '--invoke' || after[0]?.startsWith('--invoke='))) {
    i += 1;
    options.invoke = after[0] === '--invoke' ? after[1] : after[0].slice('--invoke='.length);
    if (options.invoke === undefined) throw new UsageError('--invoke needs a value');
    if (after.length > (after[0] === '--invoke' ? 2 : 1)) {
      throw new UsageError(`unexpected argument \`${after[after[0] === '--invoke' ? 2 : 1]}\``);
    }
  } else if (options.invoke !== undefined) {
    if (after.length > 0) throw new UsageError(`unexpected argument \`${after[0]}\``);
  } else {
    options.guestArgs = after[0] === '--' ? after.slice(1) : after;
  }
  return options;
}

// --imports module.mjs: an ES module whose default export is an imports object (keys as
// instantiate takes them), given beside (and over) WASI's.
async function ownImports({ imports }) {
  if (imports === undefined) return {};
  const url = pathToFileURL(path.resolve(imports)).href;
  const module = await import(url).catch((e) => {
    throw new Error(`--imports \`${imports}\`: ${e.code === 'ERR_MODULE_NOT_FOUND' ? 'no such module' : e.message}`);
  });
  const object = module.default;
  if (object === null || typeof object !== 'object') {
    throw new Error(`--imports \`${imports}\`: its default export must be an imports object, got ${object === null ? 'null' : typeof object}`);
  }
  return object;
}

// WASI's imports, the module's over them, then (--stub-imports) a stub for each imported
// function still missing: it prints its calls to stderr and returns a zero value
// (js/tools/stub-imports.mjs).
function withOwnImports(component, wasi, own, { stubImports }) {
  const imports = { ...wasi, ...own };
  if (!stubImports) return imports;
  return withStubs(component, imports, (name, args) => {
    process.stderr.write(`cmbridge: stub ${name}(${args.map(describeValue).join(', ')})\n`);
  });
}

function importsWasi(component) {
  return component.plan.imports.some(({ name }) => name.startsWith('wasi:'));
}

async function wasiOptions({ file, dirs, env, guestArgs, argv0, network = false }) {
  const preopens = {};
  for (const dir of dirs) {
    const sep = dir.indexOf('::');
    const host = sep === -1 ? dir : dir.slice(0, sep);
    const guest = sep === -1 ? dir : dir.slice(sep + 2);
    if (!host || !guest) throw new UsageError(`--dir \`${dir}\`: expected host[::guest]`);
    const info = await stat(host).catch(() => null);
    if (!info?.isDirectory()) throw new Error(`--dir \`${dir}\`: \`${host}\` is not a directory`);
    preopens[guest] = path.resolve(host);
  }
  const environment = {};
  for (const entry of env) {
    const eq = entry.indexOf('=');
    const name = eq === -1 ? entry : entry.slice(0, eq);
    if (!name) throw new UsageError(`--env \`${entry}\`: expected NAME=value or NAME`);
    if (eq !== -1) environment[name] = entry.slice(eq + 1);
    else if (process.env[name] !== undefined) environment[name] = process.env[name];
  }
  return { args: [argv0 ?? path.basename(file), ...guestArgs], env: environment, preopens, network };
}

// --invoke's name: `func` (a function the component exports, or, when exactly one exported
// interface has a function of that name, that one), `interface#func`, where the interface
// may be named in full (`local:demo/api@1.0.0`), without its version, or by its short
// name (`api`). Names may be kebab-case or lowerCamelCase. No match: the error lists
// every callable name (not the usage text: the command line was well formed).
function findExport(exports, name) {
  const callable = callableExports(exports);
  const hash = name.indexOf('#');
  if (hash === -1) {
    const top = callable.filter((c) => c.iface === null && sameName(c.func, name));
    if (top.length > 0) return top[0].fn;
    const inInterfaces = callable.filter((c) => c.iface !== null && sameName(c.func, name));
    if (inInterfaces.length === 1) return inInterfaces[0].fn;
    if (inInterfaces.length > 1) {
      throw new Error(`more than one exported interface has a function \`${name}\`: say which (${inInterfaces.map(label).join(', ')})`);
    }
    throw new Error(`the component exports no function \`${name}\`; it exports ${listed(callable)}`);
  }
  const ifaceName = name.slice(0, hash);
  const funcName = name.slice(hash + 1);
  const ifaces = [...new Set(callable.filter((c) => c.iface !== null).map((c) => c.iface))];
  const matching = ifaces.filter((i) => i === ifaceName || unversioned(i) === ifaceName || exports[ifaceName] === exports[i]);
  if (matching.length !== 1) {
    const why = matching.length === 0 ? `the component exports no interface \`${ifaceName}\`` : `\`${ifaceName}\` names more than one interface (${matching.join(', ')})`;
    throw new Error(`${why}; it exports ${listed(callable)}`);
  }
  const found = callable.find((c) => c.iface === matching[0] && sameName(c.func, funcName));
  if (!found) throw new Error(`the interface \`${matching[0]}\` has no function \`${funcName}\`; it exports ${listed(callable)}`);
  return found.fn;
}

/** The functions a component's exports hold: { iface (its full name, or null), func, fn }. */
function callableExports(exports) {
  const out = [];
  for (const key of Object.keys(exports)) {
    const value = exports[key];
    if (typeof value === 'function' && value[Symbol.for('cmbridge.type')]) out.push({ iface: null, func: key, fn: value });
    else if (value !== null && typeof value === 'object') {
      for (const func of Object.keys(value)) {
        if (typeof value[func] === 'function' && value[func][Symbol.for('cmbridge.type')]) out.push({ iface: key, func, fn: value[func] });
      }
    }
  }
  return out;
}

const sameName = (jsName, typed) => jsName === typed || jsName === lowerCamelCase(typed);
const unversioned = (iface) => iface.replace(/@[^@]*$/, '');
const label = (c) => (c.iface === null ? c.func : `${c.iface}#${c.func}`);
const listed = (callable) => (callable.length === 0 ? 'no functions' : callable.map(label).join(', '));

// Written, not yet out: when stdout or stderr is a pipe, Node writes to it asynchronously,
// and process.exit() drops what is still queued (a command's 16 MiB through `| wc -c`
// arrived as 0.5-7.5 MiB). Every exit waits for both to drain first.
function drained(stream) {
  return new Promise((resolve) => {
    if (stream.writableLength === 0 || stream.destroyed) return resolve();
    stream.once('error', resolve);  // a reader that went away: nothing more can arrive
    stream.write('', () => resolve());
  });
}

async function exitWhenDrained(code) {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

main(process.argv.slice(2)).then(
  (code) => exitWhenDrained(code),
  (e) => {
    // A guest that called wasi:cli/exit (in --invoke mode, or while starting) ends us so.
    const code = exitCodeOf(e);
    if (code !== undefined) return exitWhenDrained(code);
    const text = e instanceof UsageError ? `${e.message}\n\n${USAGE}` : e.constructor === Error ? e.message : `${e.name}: ${e.message}`;
    console.error(`cmbridge: ${text}`);
    return exitWhenDrained(1);
  },
);
