// The CLI's tool commands (js/cli.mjs dispatches to them):
//   cmbridge wit <component.wasm>               prints the component's WIT
//   cmbridge types <component.wasm> -o <dir>    writes <dir>/<name>.d.ts
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadEngine } from '../engine-loader.mjs';
import { callWithComponent } from '../engine-call.mjs';
import { typescriptDeclarations } from './typescript.mjs';

export const TOOL_USAGE = `  wit       print the component's imports and exports as WIT
  types     write TypeScript declarations for the component: types <component.wasm> -o <dir>`;

/** The engine's description of a component file: { wit, world } (bridge/engine_bindings.cpp). */
export async function describeComponentFile(file) {
  const bytes = new Uint8Array(await readFile(file));
  return callWithComponent(await loadEngine(), 'describeComponent', bytes);
}

/** `cmbridge wit <file>`. `usage(message)` makes the CLI's usage error. */
export async function witCommand(args, usage) {
  if (args.length !== 1 || args[0].startsWith('-')) throw usage('usage: cmbridge wit <component.wasm>');
  const { wit, witError } = await describeComponentFile(args[0]);
  if (wit === undefined) throw new Error(`cannot print the WIT of ${args[0]}: ${witError}`);
  process.stdout.write(wit);
  return 0;
}

/** `cmbridge types <file> -o <dir>`: writes <dir>/<file's base name>.d.ts and says where. */
export async function typesCommand(args, usage) {
  let file;
  let outDir;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-o' || args[i] === '--out-dir') outDir = args[++i];
    else if (args[i].startsWith('--out-dir=')) outDir = args[i].slice('--out-dir='.length);
    else if (args[i].startsWith('-')) throw usage(`unknown option \`${args[i]}\``);
    else if (file === undefined) file = args[i];
    else throw usage(`unexpected argument \`${args[i]}\``);
  }
  if (!file) throw usage('missing the component file');
  if (!outDir) throw usage('missing -o <dir>: where to write the .d.ts');
  const { world } = await describeComponentFile(file);
  const name = path.basename(file).replace(/\.wasm$/, '');
  const target = path.join(outDir, `${name}.d.ts`);
  await mkdir(outDir, { recursive: true });
  await writeFile(target, typescriptDeclarations(world, { source: path.basename(file) }));
  console.log(target);
  return 0;
}
