// NaNs across the boundary: the spec's canonicalize_nan32/64 (lifting) and, in its
// deterministic profile, maybe_scramble_nan32/64 (lowering) make every NaN the canonical
// one. A JS NaN keeps the bits it was read with, so without this a guest's NaN payload
// would reach the host, and the next guest, unchanged; the `NaN` literal is canonical
// (0x7ff8000000000000, and 0x7fc00000 as an f32). Used by values/codec.mjs,
// values/stream-codec.mjs and runtime/scalar-trampoline.mjs (which inlines the same test).

/** `v`, or the canonical NaN when `v` is a NaN. */
export const canonicalNaN = (v) => (v !== v ? NaN : v);

/** A float TypedArray's NaNs made canonical, in place; returns it. */
export function canonicalizeNaNs(a) {
  for (let i = 0; i < a.length; i++) if (a[i] !== a[i]) a[i] = NaN;
  return a;
}
