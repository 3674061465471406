// Reads a file: URL, which only Node can do. Bundlers building for the web follow every
// import('node:…') they can see and then warn that node:fs "has been externalized for
// browser compatibility", so node:fs is reached through process.getBuiltinModule (Node
// 20.16+) or, on older Node, an import whose specifier is not a literal they would follow.
const NODE_FS = 'node:fs/promises';

/** The bytes of a file: URL (a Uint8Array over the Buffer node:fs returns, not a copy). */
export async function readFileUrl(url) {
  const fs = globalThis.process?.getBuiltinModule?.(NODE_FS)
    ?? await import(/* @vite-ignore */ /* webpackIgnore: true */ NODE_FS);
  const buffer = await fs.readFile(url);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
