// Builds a component that sends values of chosen types on a round trip through both
// directions of the Canonical ABI:
//
//   JS --roundtrip-NAME(x)--> guest (canon lift) --echo-NAME(x)--> host import (canon lower)
//      <------ result -------       <----------- result --------
//
// For each case the guest's core function passes its flat parameters straight on to the
// lowered import and returns what the import returned (or the return area it wrote), so
// a value survives only if lifting and lowering agree with the spec's layout in both
// directions. Each case gives its WIT-ish component type text and its flat core types
// (written out by hand from the spec's flattening rules, so a flattening bug shows up as a
// signature mismatch rather than being checked against itself).
import { watToBytes } from './components.mjs';

const RETURN_AREA = 16;  // scratch space in the guest's memory for spilled results
const HEAP_START = 4096;

// A bump allocator: realloc(old, old_size, align, new_size) with copying and growth.
const LIBC = `
  (core module $Libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const ${HEAP_START}))
    (func (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
      (global.set $heap (i32.add (local.get $p) (local.get $new_size)))
      (block $enough
        (br_if $enough (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
        (drop (memory.grow (i32.add (i32.const 1)
          (i32.shr_u (i32.sub (global.get $heap) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16))))))
      (if (local.get $old_size)
        (then (memory.copy (local.get $p) (local.get $old) (select (local.get $old_size) (local.get $new_size)
          (i32.lt_u (local.get $old_size) (local.get $new_size))))))
      (local.get $p))
    (func (export "heap-used") (result i32) (global.get $heap)))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
`;

/**
 * cases: [{ name, type, flat, typedef? }] where `type` is the component type text used in
 * signatures (e.g. "u32", "string", "$point") and `typedef`, if the type is named, is its
 * definition (e.g. '(record (field "x" s32) (field "y" s32))'); `flat` lists core types.
 * Returns the component binary.
 */
export function roundtripComponent(cases) {
  const typeDecls = [];
  const typeAliases = [];
  for (const c of cases) {
    if (!c.typedef) continue;
    const id = c.type.slice(1);
    // Function types must use the exported name of a record/variant/enum/flags type
    // (the spec's "externally visible" rule), so the definition gets a primed name.
    typeDecls.push(`(type ${c.type}-def ${c.typedef}) (export "${id}" (type ${c.type} (eq ${c.type}-def)))`);
    typeAliases.push(`(alias export $host "${id}" (type ${c.type}))`);
  }
  const funcDecls = cases.map((c) => `(export "echo-${c.name}" (func (param "x" ${c.type}) (result ${c.type})))`);
  const lowered = cases.map((c) => `
    (alias export $host "echo-${c.name}" (func $echo-${c.name}))
    (core func $echo-${c.name} (canon lower (func $echo-${c.name}) (memory $mem) (realloc $realloc)))`);
  const coreImports = [];
  const coreFuncs = [];
  for (const c of cases) {
    const spillParams = c.flat.length > 16;
    const spillResult = c.flat.length > 1;
    const coreParams = spillParams ? ['i32'] : c.flat;
    const importParams = [...coreParams, ...(spillResult ? ['i32'] : [])];
    const importResults = spillResult ? [] : c.flat;
    const results = importResults.length ? `(result ${importResults.join(' ')})` : '';
    coreImports.push(`(import "host" "echo-${c.name}" (func $echo-${c.name} (param ${importParams.join(' ')}) ${results}))`);
    const gets = coreParams.map((_, i) => `(local.get ${i})`).join(' ');
    const body = spillResult
      ? `(call $echo-${c.name} ${gets} (i32.const ${RETURN_AREA})) (i32.const ${RETURN_AREA})`
      : `(call $echo-${c.name} ${gets})`;
    coreFuncs.push(`(func (export "roundtrip-${c.name}") (param ${coreParams.join(' ')}) (result ${spillResult ? 'i32' : c.flat[0]}) ${body})`);
  }
  const lifts = cases.map((c) => `
    (func (export "roundtrip-${c.name}") (param "x" ${c.type}) (result ${c.type})
      (canon lift (core func $main "roundtrip-${c.name}") (memory $mem) (realloc $realloc)))`);
  const text = `(component
    (import "host" (instance $host ${typeDecls.join(' ')} ${funcDecls.join(' ')}))
    ${typeAliases.join('\n')}
    ${LIBC}
    ${lowered.join('\n')}
    (core module $Main
      ${coreImports.join('\n')}
      ${coreFuncs.join('\n')})
    (core instance $main (instantiate $Main
      (with "host" (instance ${cases.map((c) => `(export "echo-${c.name}" (func $echo-${c.name}))`).join(' ')}))))
    ${lifts.join('\n')}
  )`;
  return watToBytes(text);
}
