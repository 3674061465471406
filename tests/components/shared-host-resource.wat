;; A host that hands out the same object twice as `own` (as WASI shims do with stdout and
;; the preopened directories): `twice` takes two handles to it, drops the first, then
;; calls a method through the second; `drop-both` drops them both.
(component
  (import "test:host/shared" (instance $shared
    (export "thing" (type $thing (sub resource)))
    (export "get" (func (result (own $thing))))
    (export "[method]thing.id" (func (param "self" (borrow $thing)) (result u32)))))
  (alias export $shared "thing" (type $thing))
  (alias export $shared "get" (func $get))
  (alias export $shared "[method]thing.id" (func $id))

  (core func $get-lowered (canon lower (func $get)))
  (core func $id-lowered (canon lower (func $id)))
  (core func $drop (canon resource.drop $thing))
  (core module $M
    (import "host" "get" (func $get (result i32)))
    (import "host" "id" (func $id (param i32) (result i32)))
    (import "host" "drop" (func $drop (param i32)))
    (func (export "twice") (result i32)
      (local $first i32) (local $second i32)
      (local.set $first (call $get))
      (local.set $second (call $get))
      (call $drop (local.get $first))
      (call $id (local.get $second)))
    (func (export "drop-both")
      (local $second i32)
      (call $drop (call $get))
      (local.set $second (call $get))
      (call $drop (local.get $second))))
  (core instance $host
    (export "get" (func $get-lowered))
    (export "id" (func $id-lowered))
    (export "drop" (func $drop)))
  (core instance $m (instantiate $M (with "host" (instance $host))))
  (func (export "twice") (result u32) (canon lift (core func $m "twice")))
  (func (export "drop-both") (canon lift (core func $m "drop-both")))
)
