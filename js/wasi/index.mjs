// cmbridge/wasi: WASI for components, from the Bytecode Alliance's shims, with wasi:http
// 0.3 of our own (http/: outgoing over fetch(), serve() for incoming requests).
export { wasiImports, WASI_P2_VERSION } from './preview2.mjs';
export { wasiP3Imports, WASI_P3_VERSION } from './preview3.mjs';
export { runCommand } from './command.mjs';
export { WasiExit } from './exit.mjs';
export { serve, RESPONSE_TRAILERS, REQUEST_TRAILERS } from './http/serve.mjs';
export { nodeListener } from './http/node-adapter.mjs';
export { HttpError } from './http/http-error.mjs';
export { MemoryDirectory, MemorySymlink } from './filesystem/memory-directory.mjs';
