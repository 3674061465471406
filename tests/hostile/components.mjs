// The components the hostile tests misuse, in component text. Each is small and does one
// honest thing per export, so that what goes wrong is the caller's doing (a host passing
// what it must not) or the guest's own (a guest doing what the spec forbids).
import { watToBytes } from '../helpers/components.mjs';

// `keeper`: a guest resource `r` (rep: the address of an i32 cell; the destructor counts
// drops), a host resource `thing` borrowed back to the host, and exports that take lists.
//   [constructor]r(v) / [method]r.get() / keep(own r) -> handle / peek(borrow r) -> value
//   dropped() -> how many r were destroyed
//   thing-id(borrow thing) -> thing.id() (a call back into the host through the borrow)
//   byte-count(list<u8>) -> length / string-count(list<string>) -> length
//   probe() -> 42 (to tell whether the instance still takes calls); boom() traps
export const keeperText = `(component
  (import "test:host/things" (instance $things
    (export "thing" (type $thing (sub resource)))
    (export "[method]thing.id" (func (param "self" (borrow $thing)) (result u32)))))
  (alias export $things "thing" (type $thing))
  (alias export $things "[method]thing.id" (func $thing-id))

  (core module $Libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $heap (i32.add (local.get $p) (local.get 3)))
      (if (i32.gt_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
        (then (drop (memory.grow (i32.add (i32.shr_u (i32.sub (global.get $heap) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1))))))
      (local.get $p))
    (func (export "r-dtor") (param $rep i32)
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))))
    (func (export "dropped") (result i32) (i32.load (i32.const 0))))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
  (alias core export $libc "r-dtor" (core func $r-dtor))

  (type $r (resource (rep i32) (dtor (core func $r-dtor))))
  (core func $r-new (canon resource.new $r))
  (core func $thing-id-lowered (canon lower (func $thing-id)))
  (core func $thing-drop (canon resource.drop $thing))

  (core module $Main
    (import "libc" "realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))
    (import "libc" "memory" (memory 1))
    (import "res" "r-new" (func $r-new (param i32) (result i32)))
    (import "res" "thing-id" (func $thing-id (param i32) (result i32)))
    (import "res" "thing-drop" (func $thing-drop (param i32)))
    (func (export "r-constructor") (param $v i32) (result i32)
      (local $p i32)
      (local.set $p (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 4)))
      (i32.store (local.get $p) (local.get $v))
      (call $r-new (local.get $p)))
    (func (export "r-get") (param $rep i32) (result i32) (i32.load (local.get $rep)))
    (func (export "keep") (param $h i32) (result i32) (local.get $h))
    (func (export "peek") (param $rep i32) (result i32) (i32.load (local.get $rep)))
    ;; a borrow lent to this call must be dropped before it returns
    (func (export "thing-id") (param $h i32) (result i32)
      (local $id i32)
      (local.set $id (call $thing-id (local.get $h)))
      (call $thing-drop (local.get $h))
      (local.get $id))
    (func (export "count") (param $p i32) (param $n i32) (result i32) (local.get $n))
    (func (export "probe") (result i32) (i32.const 42))
    (func (export "boom") unreachable))
  (core instance $main (instantiate $Main
    (with "libc" (instance $libc))
    (with "res" (instance (export "r-new" (func $r-new)) (export "thing-id" (func $thing-id-lowered)) (export "thing-drop" (func $thing-drop))))))

  (export $r-t "r" (type $r))
  (func (export "[constructor]r") (param "v" u32) (result (own $r-t))
    (canon lift (core func $main "r-constructor")))
  (func (export "[method]r.get") (param "self" (borrow $r-t)) (result u32)
    (canon lift (core func $main "r-get")))
  (func (export "keep") (param "r" (own $r-t)) (result u32) (canon lift (core func $main "keep")))
  (func (export "peek") (param "r" (borrow $r-t)) (result u32) (canon lift (core func $main "peek")))
  (func (export "dropped") (result u32) (canon lift (core func $libc "dropped")))
  (func (export "thing-id") (param "t" (borrow $thing)) (result u32) (canon lift (core func $main "thing-id")))
  (func (export "byte-count") (param "b" (list u8)) (result u32)
    (canon lift (core func $main "count") (memory $mem) (realloc $realloc)))
  (func (export "string-count") (param "s" (list string)) (result u32)
    (canon lift (core func $main "count") (memory $mem) (realloc $realloc)))
  (func (export "probe") (result u32) (canon lift (core func $main "probe")))
  (func (export "boom") (canon lift (core func $main "boom")))
)`;

export const keeperBytes = () => watToBytes(keeperText);

/** A host for `keeper`: its `thing` class, and objects of it with ids. */
export function keeperHost() {
  class Thing {
    constructor(id) { this.id_ = id; }
    id() { return this.id_; }
  }
  return { imports: { 'test:host/things': { Thing } }, Thing };
}
