// Whether a standard stream is a terminal: what `wasi:cli/terminal-stdin` (and -stdout,
// -stderr) answer, as Wasmtime answers them: a terminal object only when the stream really
// is one (a TTY). The shims always hand one out, so a program whose output is piped would
// think it writes to a terminal (and, say, colour its output). In a page there is none.
const STREAMS = { stdin: 'stdin', stdout: 'stdout', stderr: 'stderr' };

export function isTerminal(name) {
  const proc = globalThis.process;
  if (!proc?.versions?.node) return false;
  return proc[STREAMS[name]]?.isTTY === true;
}

/**
 * The three terminal-* interface objects of a shim (`{ getTerminalStdin }` and so on),
 * answering none (undefined) for a stream that is not a terminal.
 */
export function terminalInterfaces({ terminalStdin, terminalStdout, terminalStderr }) {
  return {
    stdin: { ...terminalStdin, getTerminalStdin: () => (isTerminal('stdin') ? terminalStdin.getTerminalStdin() : undefined) },
    stdout: { ...terminalStdout, getTerminalStdout: () => (isTerminal('stdout') ? terminalStdout.getTerminalStdout() : undefined) },
    stderr: { ...terminalStderr, getTerminalStderr: () => (isTerminal('stderr') ? terminalStderr.getTerminalStderr() : undefined) },
  };
}
