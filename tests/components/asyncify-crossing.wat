;; run(x): a stackful async export whose stack crosses two core modules: $outer calls
;; $inner's export, which makes a synchronous call of the async host import `wait-for`
;; (the stack must wait for the host's Promise). Neither module has memory of its own: the
;; rewrite gives each one. Locals of every type live across the wait.
;; deep(n): recurses n frames before it waits (each frame's locals are saved).
(component
  (import "wait-for" (func $wait-for async (param "x" u32) (result u32)))
  (core func $wait (canon lower (func $wait-for)))
  (core func $return (canon task.return (result u32)))
  (core module $inner
    (import "" "wait" (func $wait (param i32) (result i32)))
    (func (export "waited") (param $x i32) (result i32)
      (local $a i64) (local $b f64) (local $c f32) (local $r i32)
      (local.set $a (i64.mul (i64.extend_i32_u (local.get $x)) (i64.const 0x100000000)))
      (local.set $b (f64.convert_i32_u (local.get $x)))
      (local.set $c (f32.convert_i32_u (local.get $x)))
      (local.set $r (call $wait (local.get $x)))
      ;; r + (a >> 32) + b + c: 4x when every local survived
      (i32.add (i32.add (local.get $r) (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 32))))
        (i32.add (i32.trunc_f64_u (local.get $b)) (i32.trunc_f32_u (local.get $c)))))
    (func $deep (export "deep") (param $n i32) (result i32)
      (local $keep i64)
      (local.set $keep (i64.extend_i32_u (local.get $n)))
      (if (result i32) (i32.eqz (local.get $n))
        (then (call $wait (i32.const 0)))
        (else (i32.add (call $deep (i32.sub (local.get $n) (i32.const 1))) (i32.wrap_i64 (local.get $keep)))))))
  (core instance $inner (instantiate $inner (with "" (instance (export "wait" (func $wait))))))
  (core module $outer
    (import "" "waited" (func $waited (param i32) (result i32)))
    (import "" "deep" (func $deep (param i32) (result i32)))
    (import "" "return" (func $return (param i32)))
    (func (export "run") (param $x i32)
      (local $keep f64)
      (local.set $keep (f64.convert_i32_u (local.get $x)))
      (call $return (i32.add (call $waited (local.get $x)) (i32.trunc_f64_u (local.get $keep)))))
    (func (export "deep") (param $n i32)
      (call $return (call $deep (local.get $n)))))
  (core instance $outer (instantiate $outer (with "" (instance
    (export "waited" (func $inner "waited"))
    (export "deep" (func $inner "deep"))
    (export "return" (func $return))))))
  (func (export "run") async (param "x" u32) (result u32) (canon lift (core func $outer "run") async))
  (func (export "deep") async (param "n" u32) (result u32) (canon lift (core func $outer "deep") async)))
