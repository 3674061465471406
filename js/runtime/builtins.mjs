// Canon built-ins (everything but lift and lower) as the core functions a guest imports.
// Resource built-ins are here; the async ones arrive with the task engine.
import { trap } from '../errors.mjs';

export function makeBuiltin(runtime, index) {
  const builtin = runtime.plan.builtins[index];
  const state = runtime.instances[builtin.instance];
  switch (builtin.op) {
    case 'resource.new':
      return runtime.resources.resourceNew(state, builtin.resource);
    case 'resource.rep':
      return runtime.resources.resourceRep(state, builtin.resource);
    case 'resource.drop':
      return runtime.resources.resourceDrop(state, builtin.resource);
    default:
      return () => trap(`the canon built-in \`${builtin.op}\` is not supported yet`);
  }
}
