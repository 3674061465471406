// Hands a component binary to one of the engine's entry points that take bytes and answer
// with JSON (bridge/engine_bindings.cpp): copies the bytes into the engine's memory, calls,
// and turns the engine's {"error": ...} into the CompileError the binary deserves.

/** engine[entry](ptr, length), parsed; `entry`: 'compileComponent' or 'describeComponent'. */
export function callWithComponent(engine, entry, bytes) {
  const ptr = engine._malloc(Math.max(bytes.length, 1));
  let json;
  try {
    engine.HEAPU8.set(bytes, ptr);
    json = engine[entry](ptr, bytes.length);
  } finally {
    engine._free(ptr);
  }
  const answer = JSON.parse(json);
  if (answer.error) {
    if (answer.error.kind === 'compile') throw new WebAssembly.CompileError(answer.error.message);
    throw new Error(`engine failure: ${answer.error.message}`);
  }
  return answer;
}
