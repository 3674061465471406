;; NaNs with payloads, for tests/js/float-nans.test.mjs: the guest makes them (an f32 and an
;; f64 result, a list<f32> in memory) and shows the bits of what it is given (an f32, an
;; f64, the first element of a list<f32>). The spec lifts and lowers every NaN as the
;; canonical one (0x7fc00000, 0x7ff8000000000000).
(component
  (core module $M
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (data (i32.const 16) "\01\00\c0\7f" "\00\00\80\3f")  ;; 0x7fc00001 (a NaN with a payload), 1.0
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $heap))
      (global.set $heap (i32.add (global.get $heap) (i32.and (i32.add (local.get 3) (i32.const 7)) (i32.const -8))))
      (local.get $p))
    (func (export "nan-payload") (result f32) (f32.reinterpret_i32 (i32.const 0x7fc00001)))
    (func (export "nan-payload64") (result f64) (f64.reinterpret_i64 (i64.const 0x7ff8000000000001)))
    (func (export "bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
    (func (export "bits64") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
    (func (export "nan-list") (result i32)
      (i32.store (i32.const 8) (i32.const 16))
      (i32.store (i32.const 12) (i32.const 2))
      (i32.const 8))
    (func (export "first-bits") (param $ptr i32) (param $len i32) (result i32) (i32.load (local.get $ptr))))
  (core instance $m (instantiate $M))
  (alias core export $m "memory" (core memory $mem))
  (alias core export $m "realloc" (core func $realloc))
  (func (export "nan-payload") (result f32) (canon lift (core func $m "nan-payload")))
  (func (export "nan-payload64") (result f64) (canon lift (core func $m "nan-payload64")))
  (func (export "bits") (param "x" f32) (result u32) (canon lift (core func $m "bits")))
  (func (export "bits64") (param "x" f64) (result u64) (canon lift (core func $m "bits64")))
  (func (export "nan-list") (result (list f32)) (canon lift (core func $m "nan-list") (memory $mem)))
  (func (export "first-bits") (param "xs" (list f32)) (result u32)
    (canon lift (core func $m "first-bits") (memory $mem) (realloc $realloc)))
)
