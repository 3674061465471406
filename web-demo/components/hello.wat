;; The demo's example component, written by hand in component text format.
;;   add(a: u32, b: u32) -> u32
;;   greet(name: string) -> string          "Hello, <name>!", and logs it through the host
;;   sum(values: list<f64>) -> f64
;;   reverse(bytes: list<u8>) -> list<u8>
;; imports: log(message: string)
(component
  (import "log" (func $log (param "message" string)))

  (core module $Main
    (import "host" "log" (func $log (param i32 i32)))
    (memory (export "memory") 1)
    (data (i32.const 64) "Hello, ")
    (global $heap (mut i32) (i32.const 1024))

    ;; A bump allocator; realloc(old_ptr, old_size, align, new_size).
    (func $realloc (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
      (global.set $heap (i32.add (local.get $p) (local.get $size)))
      (block $ok
        (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
        (drop (memory.grow (i32.add (i32.const 1)
          (i32.shr_u (i32.sub (global.get $heap) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16))))))
      (if (local.get $old_size) (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
      (local.get $p))

    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))

    ;; greet: builds "Hello, " + name + "!" and returns a pointer to (ptr, len).
    (func (export "greet") (param $name i32) (param $len i32) (result i32)
      (local $out i32) (local $total i32)
      (local.set $total (i32.add (local.get $len) (i32.const 8)))
      (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $total)))
      (memory.copy (local.get $out) (i32.const 64) (i32.const 7))
      (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $name) (local.get $len))
      (i32.store8 (i32.add (local.get $out) (i32.add (local.get $len) (i32.const 7))) (i32.const 33))
      (call $log (local.get $out) (local.get $total))
      (i32.store (i32.const 16) (local.get $out))
      (i32.store (i32.const 20) (local.get $total))
      (i32.const 16))

    (func (export "sum") (param $ptr i32) (param $n i32) (result f64)
      (local $acc f64)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (f64.add (local.get $acc) (f64.load (local.get $ptr))))
          (local.set $ptr (i32.add (local.get $ptr) (i32.const 8)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $acc))

    ;; reverse: reverses the bytes in place (they are ours now) and returns them.
    (func (export "reverse") (param $ptr i32) (param $n i32) (result i32)
      (local $i i32) (local $j i32) (local $t i32)
      (local.set $j (i32.sub (i32.add (local.get $ptr) (local.get $n)) (i32.const 1)))
      (local.set $i (local.get $ptr))
      (block $done
        (loop $next
          (br_if $done (i32.ge_s (local.get $i) (local.get $j)))
          (local.set $t (i32.load8_u (local.get $i)))
          (i32.store8 (local.get $i) (i32.load8_u (local.get $j)))
          (i32.store8 (local.get $j) (local.get $t))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $j (i32.sub (local.get $j) (i32.const 1)))
          (br $next)))
      (i32.store (i32.const 16) (local.get $ptr))
      (i32.store (i32.const 20) (local.get $n))
      (i32.const 16))
  )

  ;; The lowered `log` needs the memory of $Main, which does not exist before $Main is
  ;; instantiated: an indirection module fills the gap (the usual wit-component shape).
  (core module $Shim
    (table (export "table") 1 funcref)
    (func (export "log") (param i32 i32) (call_indirect (param i32 i32) (local.get 0) (local.get 1) (i32.const 0))))
  (core module $Fixup
    (import "shim" "table" (table 1 funcref))
    (import "host" "log" (func $log (param i32 i32)))
    (elem (i32.const 0) func $log))
  (core instance $shim (instantiate $Shim))
  (core instance $main (instantiate $Main (with "host" (instance $shim))))
  (core func $log_lowered (canon lower (func $log) (memory (core memory $main "memory"))))
  (core instance (instantiate $Fixup
    (with "shim" (instance $shim))
    (with "host" (instance (export "log" (func $log_lowered))))))

  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $main "add")))
  (func (export "greet") (param "name" string) (result string)
    (canon lift (core func $main "greet") (memory (core memory $main "memory")) (realloc (core func $main "realloc"))))
  (func (export "sum") (param "values" (list f64)) (result f64)
    (canon lift (core func $main "sum") (memory (core memory $main "memory")) (realloc (core func $main "realloc"))))
  (func (export "reverse") (param "bytes" (list u8)) (result (list u8))
    (canon lift (core func $main "reverse") (memory (core memory $main "memory")) (realloc (core func $main "realloc"))))
)
