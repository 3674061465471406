;; Resources in both directions.
;; Guest-defined: resource `counter` (rep = address of its cell in memory; the destructor
;; counts drops) with a constructor, methods (borrow self), a static taking two owned
;; counters, and `dropped()`.
;; Host-defined: resource `logger` imported from "test:host/logging"; `use-logger` makes
;; one, calls a method on it with a borrow, and drops it.
(component
  (import "test:host/logging" (instance $logging
    (export "logger" (type $logger (sub resource)))
    (export "[constructor]logger" (func (param "prefix" string) (result (own $logger))))
    (export "[method]logger.log" (func (param "self" (borrow $logger)) (param "message" string) (result string)))))
  (alias export $logging "logger" (type $logger))
  (alias export $logging "[constructor]logger" (func $logger-new))
  (alias export $logging "[method]logger.log" (func $logger-log))

  (core module $Libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $heap (i32.add (local.get $p) (local.get 3)))
      ;; a realloc that grows keeps the old contents, as realloc must
      (if (local.get 1) (then (memory.copy (local.get $p) (local.get 0) (select (local.get 1) (local.get 3) (i32.lt_u (local.get 1) (local.get 3))))))
      (local.get $p))
    ;; the destructor of `counter`: counts drops at address 0 and poisons the cell
    (func (export "counter-dtor") (param $rep i32)
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
      (i32.store (local.get $rep) (i32.const -1)))
    (func (export "dropped") (result i32) (i32.load (i32.const 0))))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
  (alias core export $libc "counter-dtor" (core func $counter-dtor))

  (type $counter (resource (rep i32) (dtor (core func $counter-dtor))))
  (core func $counter-new (canon resource.new $counter))
  (core func $counter-rep (canon resource.rep $counter))
  (core func $counter-drop (canon resource.drop $counter))
  (core func $logger-new (canon lower (func $logger-new) (memory $mem) (realloc $realloc)))
  (core func $logger-log (canon lower (func $logger-log) (memory $mem) (realloc $realloc)))
  (core func $logger-drop (canon resource.drop $logger))

  (core module $Main
    (import "libc" "memory" (memory 1))
    (import "libc" "realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))
    (import "res" "counter-new" (func $counter-new (param i32) (result i32)))
    (import "res" "counter-rep" (func $counter-rep (param i32) (result i32)))
    (import "res" "counter-drop" (func $counter-drop (param i32)))
    (import "res" "logger-new" (func $logger-new (param i32 i32) (result i32)))
    (import "res" "logger-log" (func $logger-log (param i32 i32 i32 i32)))
    (import "res" "logger-drop" (func $logger-drop (param i32)))
    (func $cell (param $value i32) (result i32)
      (local $p i32)
      (local.set $p (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 4)))
      (i32.store (local.get $p) (local.get $value))
      (local.get $p))
    (func (export "counter-constructor") (param $start i32) (result i32)
      (call $counter-new (call $cell (local.get $start))))
    ;; methods get the rep itself: a borrow lowered into the defining instance
    (func (export "counter-increment") (param $rep i32) (result i32)
      (i32.store (local.get $rep) (i32.add (i32.load (local.get $rep)) (i32.const 1)))
      (i32.load (local.get $rep)))
    (func (export "counter-get") (param $rep i32) (result i32) (i32.load (local.get $rep)))
    ;; merge(a: own, b: own) -> own: a new counter with the sum; drops both
    (func (export "counter-merge") (param $a i32) (param $b i32) (result i32)
      (local $sum i32)
      (local.set $sum (i32.add (i32.load (call $counter-rep (local.get $a))) (i32.load (call $counter-rep (local.get $b)))))
      (call $counter-drop (local.get $a))
      (call $counter-drop (local.get $b))
      (call $counter-new (call $cell (local.get $sum))))
    ;; takes an owned counter and keeps it: the handle stays in our table
    (func (export "keep") (param $h i32) (result i32) (local.get $h))
    ;; use-logger(prefix, message) -> string
    (func (export "use-logger") (param $pp i32) (param $pl i32) (param $mp i32) (param $ml i32) (result i32)
      (local $logger i32)
      (local.set $logger (call $logger-new (local.get $pp) (local.get $pl)))
      (call $logger-log (local.get $logger) (local.get $mp) (local.get $ml) (i32.const 8))
      (call $logger-drop (local.get $logger))
      (i32.const 8))
    ;; drop-bad(h): resource.drop on a forged handle traps
    (func (export "drop-handle") (param $h i32) (call $counter-drop (local.get $h))))
  (core instance $main (instantiate $Main
    (with "libc" (instance $libc))
    (with "res" (instance
      (export "counter-new" (func $counter-new))
      (export "counter-rep" (func $counter-rep))
      (export "counter-drop" (func $counter-drop))
      (export "logger-new" (func $logger-new))
      (export "logger-log" (func $logger-log))
      (export "logger-drop" (func $logger-drop))))))

  (export $counter-t "counter" (type $counter))
  (func (export "[constructor]counter") (param "start" u32) (result (own $counter-t))
    (canon lift (core func $main "counter-constructor")))
  (func (export "[method]counter.increment") (param "self" (borrow $counter-t)) (result u32)
    (canon lift (core func $main "counter-increment")))
  (func (export "[method]counter.get") (param "self" (borrow $counter-t)) (result u32)
    (canon lift (core func $main "counter-get")))
  (func (export "[static]counter.merge") (param "a" (own $counter-t)) (param "b" (own $counter-t)) (result (own $counter-t))
    (canon lift (core func $main "counter-merge")))
  (func (export "keep") (param "c" (own $counter-t)) (result u32)
    (canon lift (core func $main "keep")))
  (func (export "dropped") (result u32)
    (canon lift (core func $libc "dropped")))
  (func (export "use-logger") (param "prefix" string) (param "message" string) (result string)
    (canon lift (core func $main "use-logger") (memory $mem) (realloc $realloc)))
  (func (export "drop-handle") (param "h" u32)
    (canon lift (core func $main "drop-handle")))
)
