;; stream<u8> across the host boundary through imports (tests/js/streams.test.mjs):
;;   send(n) -> u32: a stream whose write of n bytes 9 is pending goes to the host import
;;     sink(s); returns the write's result (BLOCKED until the host reads)
;;   recv(n) -> u32: reads from the stream the host import source() returns: the read's
;;     payload * 1000 + the first byte
(component
  (type $ST (stream u8))
  (import "sink" (func $sink (param "s" $ST)))
  (import "source" (func $source (result $ST)))
  (core module $libc
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 0x8000)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
  (core func $sink (canon lower (func $sink) (memory $mem) (realloc $realloc)))
  (core func $source (canon lower (func $source) (memory $mem) (realloc $realloc)))
  (core func $new (canon stream.new $ST))
  (core func $read (canon stream.read $ST async (memory $mem)))
  (core func $write (canon stream.write $ST async (memory $mem)))
  (core module $m
    (import "" "memory" (memory 1))
    (import "" "sink" (func $sink (param i32)))
    (import "" "source" (func $source (result i32)))
    (import "" "new" (func $new (result i64)))
    (import "" "read" (func $read (param i32 i32 i32) (result i32)))
    (import "" "write" (func $write (param i32 i32 i32) (result i32)))
    (func (export "send") (param $n i32) (result i32)
      (local $ends i64) (local $ret i32)
      (memory.fill (i32.const 0x1000) (i32.const 9) (local.get $n))
      (local.set $ends (call $new))
      (local.set $ret (call $write (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))) (i32.const 0x1000) (local.get $n)))
      (call $sink (i32.wrap_i64 (local.get $ends)))
      (local.get $ret))
    (func (export "recv") (param $n i32) (result i32)
      (local $ret i32)
      (local.set $ret (call $read (call $source) (i32.const 0x2000) (local.get $n)))
      (i32.add (i32.mul (local.get $ret) (i32.const 1000)) (i32.load8_u (i32.const 0x2000)))))
  (core instance $i (instantiate $m (with "" (instance
    (export "memory" (memory $mem)) (export "sink" (func $sink)) (export "source" (func $source))
    (export "new" (func $new)) (export "read" (func $read)) (export "write" (func $write))))))
  (func (export "send") (param "n" u32) (result u32) (canon lift (core func $i "send")))
  (func (export "recv") (param "n" u32) (result u32) (canon lift (core func $i "recv"))))
