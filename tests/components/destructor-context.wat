;; A destructor that uses context.get/set (tests/js/destructor-context.test.mjs). The spec
;; runs a destructor as a new thread, its two context cells 0: `r`'s destructor records the
;; cell it sees (at address 0) and sets it to 99. `drop-it` sets its own cell to 7, drops
;; the handle it was given (running the destructor), and returns its cell, which must still
;; be 7; `seen` returns what the destructor saw.
(component
  (core module $Libc
    (import "ctx" "get" (func $get (result i32)))
    (import "ctx" "set" (func $set (param i32)))
    (memory (export "memory") 1)
    (func (export "dtor") (param $rep i32)
      (i32.store (i32.const 0) (call $get))
      (call $set (i32.const 99))))
  (core func $ctx.get (canon context.get i32 0))
  (core func $ctx.set (canon context.set i32 0))
  (core instance $ctx (export "get" (func $ctx.get)) (export "set" (func $ctx.set)))
  (core instance $libc (instantiate $Libc (with "ctx" (instance $ctx))))
  (type $r (resource (rep i32) (dtor (core func $libc "dtor"))))
  (core func $r.new (canon resource.new $r))
  (core func $r.drop (canon resource.drop $r))
  (core module $M
    (import "" "memory" (memory 1))
    (import "" "r.new" (func $r.new (param i32) (result i32)))
    (import "" "r.drop" (func $r.drop (param i32)))
    (import "" "get" (func $get (result i32)))
    (import "" "set" (func $set (param i32)))
    (func (export "make") (result i32) (i32.store (i32.const 0) (i32.const -1)) (call $r.new (i32.const 5)))
    (func (export "drop-it") (param $h i32) (result i32)
      (call $set (i32.const 7))
      (call $r.drop (local.get $h))
      (call $get))
    (func (export "seen") (result i32) (i32.load (i32.const 0))))
  (core instance $m (instantiate $M (with "" (instance
    (export "memory" (memory $libc "memory"))
    (export "r.new" (func $r.new))
    (export "r.drop" (func $r.drop))
    (export "get" (func $ctx.get))
    (export "set" (func $ctx.set))))))
  (export $r' "r" (type $r))
  (func (export "make") (result (own $r')) (canon lift (core func $m "make")))
  (func (export "drop-it") (param "x" (own $r')) (result s32) (canon lift (core func $m "drop-it")))
  (func (export "seen") (result s32) (canon lift (core func $m "seen")))
)
