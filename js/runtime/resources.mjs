// Resources: handle tables, resource.new/rep/drop, own/borrow values, host resource
// classes and exported resource classes. (Being built; until then resources are refused
// with a clear error rather than mishandled.)
import { trap } from '../errors.mjs';

export class Resources {
  constructor(runtime) {
    this.runtime = runtime;
  }

  bindHostResources() {}

  hostResourceFunction() {
    return undefined;
  }

  wrapHostCall(path, host) {
    return (args) => host(...args);
  }

  exportedClasses() {
    return { claims: () => false, classFor: () => undefined };
  }

  codec(t) {
    const fail = () => { throw new TypeError(`resource handles (${t.kind}) are not supported yet`); };
    return { check: fail, lowerFlat: fail, liftFlat: fail, store: fail, load: fail };
  }

  resourceNew() { return () => trap('resource.new is not supported yet'); }
  resourceRep() { return () => trap('resource.rep is not supported yet'); }
  resourceDrop() { return () => trap('resource.drop is not supported yet'); }
}
