// JSPI (WebAssembly.Suspending / WebAssembly.promising) lets a guest stack suspend while
// the event loop runs. Stackful async lifts and built-ins that block a stack need it;
// without it (Node 20) they fail with an error that says so.
export const hasJspi = () => typeof WebAssembly.Suspending === 'function';

export function jspiMissing() {
  return 'blocking a guest stack needs JSPI (WebAssembly.Suspending), which this JavaScript engine does not have';
}
