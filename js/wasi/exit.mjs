// wasi:cli/exit for the JS API: the command's end is an exception, not process.exit().
//
// The shims end the whole Node process when a guest calls `exit`, which is right for a
// command line and wrong for a library: a page or a server that runs a component must go
// on. So `exit` throws a WasiExit. It unwinds the guest like a trap (the instance then
// refuses further calls, as a process that exited would), reaches the caller as the
// `cause` of the ComponentTrap, and runCommand turns it into the exit code.

export class WasiExit extends Error {
  constructor(code) {
    super(`the component exited with code ${code}`);
    this.name = 'WasiExit';
    this.code = code;
  }
}

export const exit = {
  exit(status) {
    throw new WasiExit(status?.tag === 'err' ? 1 : 0);
  },
  // `exit-with-code` (unstable in WASI 0.2, feature cli-exit-with-code).
  exitWithCode(code) {
    throw new WasiExit(code);
  },
};

/** The exit code carried by `error` or its causes, or undefined. */
export function exitCodeOf(error) {
  for (let e = error, depth = 0; e && depth < 8; e = e.cause, depth++) {
    if (e instanceof WasiExit) return e.code;
  }
  return undefined;
}
