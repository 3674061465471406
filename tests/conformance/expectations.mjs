// What the conformance run demands. The one place to change when a part of the engine
// becomes ready: move its scripts into REQUIRED.

// Scripts that must pass (a failed command fails the test). A prefix ending in `/` is a
// whole directory of the suite; anything else is one file. All other scripts are
// informational: they run and report, but do not fail the test.
export const REQUIRED = ['values/', 'resources/', 'linking/unit.wast', 'binary/'];

export function isRequired(file) {
  return REQUIRED.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));
}

// Scripts holding component text that our text-to-binary tool (jco 1.35.0, which
// bundles wasm-tools 0.259) cannot parse. Their text components are reported as
// skipped with this reason instead of failed; any other parse failure is a failure.
export const JCO_UNPARSEABLE = {
  'async/cancellable.wast':
    'jco 1.35 (wasm-tools 0.259) does not know the `cancellable` immediate of waitable-set.wait/poll and thread.yield',
};
