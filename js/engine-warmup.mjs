// A small component the engine compiles once as soon as it starts. The JS engine compiles
// each wasm function on its first call, so the first Component.compile paid for compiling
// the engine's reader, validator, planner and WIT printer (about 10 ms on this 2-core
// machine for the demo's hello). Done here, that happens while the caller's component is
// still arriving (Component.compile loads the engine and reads the source at once), and a
// compile after the engine loaded costs what the component itself costs.
//
// Its source, in component text (made into bytes with jco parse, 468 bytes):
//   (component
//     (import "log" (func $log (param "message" string)))
//     (core module $libc
//       (memory (export "memory") 1)
//       (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 8)))
//     (core instance $libc (instantiate $libc))
//     (core func $log-lowered (canon lower (func $log) (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
//     (core module $main
//       (import "" "log" (func (param i32 i32)))
//       (func (export "area") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
//       (func (export "name") (result i32) (i32.const 16)))
//     (core instance $main (instantiate $main (with "" (instance (export "log" (func $log-lowered))))))
//     (type $size (record (field "w" u32) (field "h" u32)))
//     (export $size-t "size" (type $size))
//     (func (export "area") (param "s" $size-t) (result u32) (canon lift (core func $main "area")))
//     (func (export "name") (result string) (canon lift (core func $main "name") (memory (core memory $libc "memory")))))
import { callWithComponent } from './engine-call.mjs';

const WARM_UP_COMPONENT = 'AGFzbQ0AAQAHDgFAAQdtZXNzYWdlcwEACggBAANsb2cBAAFIAGFzbQEAAAABCQFgBH9/f38BfwMCAQAFAwEAAQcUAgZtZW1vcnkCAAdyZWFsbG9jAAAKBgEEAEEICwAMBG5hbWUABQRsaWJjAgQBAAAABhgCAAIBAAZtZW1vcnkAAAEAB3JlYWxsb2MICQEBAAACAwAEAAFYAGFzbQEAAAABEANgAn9/AGACf38Bf2AAAX8CCAEAA2xvZwAAAwMCAQIHDwIEYXJlYQABBG5hbWUAAgoOAgcAIAAgAWwLBABBEAsADARuYW1lAAUEbWFpbgIPAgEBA2xvZwABAAEBABIBBwkBcgIBd3kBaHkLCgEABHNpemUDAQAHCAFAAQFzAgB5BgoBAAABAgRhcmVhCAYBAAACAAMHBQFAAABzBhUCAAABAgRuYW1lAAIBAAZtZW1vcnkICAEAAAMBAwEECxMCAARhcmVhAQEAAARuYW1lAQIAAF4OY29tcG9uZW50LW5hbWUBEAAAAQELbG9nLWxvd2VyZWQBDwARAgAEbGliYwEEbWFpbgEPABICAARsaWJjAgRtYWluAQcBAQADbG9nARADAgEEc2l6ZQIGc2l6ZS10';

/** The warm-up component's bytes. */
export function warmUpComponent() {
  return Uint8Array.from(atob(WARM_UP_COMPONENT), (c) => c.charCodeAt(0));
}

/** Compiles the warm-up component, ignoring any failure (it is an optimization only). */
export function warmUpEngine(engine) {
  try {
    const { world } = callWithComponent(engine, 'compileComponent', warmUpComponent());
    engine.releaseWorld(world);
  } catch {
    // A failure here shows again, and is reported, when a real component compiles.
  }
}
