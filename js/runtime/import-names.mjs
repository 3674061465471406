// Finding a component's import in the host's imports object.
//
// A component names an interface import with its package version, e.g.
// `wasi:cli/stdout@0.2.3`. Hosts implement a version of an interface, not every patch
// release, so, as Wasmtime's linker does, a key for a semver-compatible version satisfies
// the import: `wasi:cli/stdout@0.2.12` serves a component built against 0.2.3, and the
// other way round (a function the host's version lacks is then a LinkError naming it).
// Compatible means: the same major version when it is not 0; for 0.x, the same minor when
// it is not 0; for 0.0.x, the same patch. Versions with a pre-release part (`0.3.0-rc-1`)
// match only themselves. A key without a version (`wasi:cli/stdout`) serves any version.
import { hostMember } from '../names.mjs';

const VERSIONED = /^([^@]+)@(\d+)\.(\d+)\.(\d+)(-[^+]*)?(\+.*)?$/;

/** The host's value for the import `name`, or undefined. */
export function findImport(imports, name) {
  if (imports == null) return undefined;
  if (name in imports) return imports[name];
  const versioned = VERSIONED.exec(name);
  if (!versioned) return hostMember(imports, name);
  const [, base, major, minor, patch, pre] = versioned;
  if (!pre) {
    let best;
    for (const key of Object.keys(imports)) {
      const other = VERSIONED.exec(key);
      if (!other || other[1] !== base || other[5]) continue;
      if (!compatible([major, minor, patch], [other[2], other[3], other[4]])) continue;
      if (!best || newer(other, best)) best = other;
    }
    if (best) return imports[best[0]];
  }
  return base in imports ? imports[base] : hostMember(imports, name);
}

function compatible([major, minor, patch], [otherMajor, otherMinor, otherPatch]) {
  if (major !== otherMajor) return false;
  if (major !== '0') return true;
  if (minor !== otherMinor) return false;
  return minor !== '0' || patch === otherPatch;
}

function newer(a, b) {
  for (let i = 2; i <= 4; i++) {
    if (Number(a[i]) !== Number(b[i])) return Number(a[i]) > Number(b[i]);
  }
  return false;
}
