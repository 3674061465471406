// Runs a command component through the JS API, as a script of a user's would:
//   node tests/wasi/run-with-api.mjs component.wasm '{"args": [...], "env": {...}, "preopens": {...}}'
// and exits with the code runCommand resolves to. (A child process, so that the tests can
// see what the component writes to stdout and stderr.)
import v8 from 'node:v8';
import { readFile } from 'node:fs/promises';
import { runCommand } from '../../js/wasi/index.mjs';

// componentize-qjs output uses extended constant expressions (a flag in Node 20 and 21).
v8.setFlagsFromString('--experimental-wasm-extended-const');

const [file, options] = process.argv.slice(2);
process.exitCode = await runCommand(await readFile(file), JSON.parse(options ?? '{}'));
