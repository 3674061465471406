;; A WASI 0.3 `cat` in component text: `run` (async, callback ABI) hands the stream that
;; wasi:cli/stdin@0.3.0's read-via-stream gives it, unread, to wasi:cli/stdout@0.3.0's
;; write-via-stream, waits for the write's future and returns its result. Every byte goes
;; from the host's stdin to the host's stdout without entering the guest: the stream's
;; both ends are the host's. The demo page's WASI 0.3 panel runs it with a file as stdin
;; and the page as stdout; tests/wasi/preview3.test.mjs and browser.test.mjs run it too.
(component
  (type $error-code (enum "io" "illegal-byte-sequence" "pipe"))
  (import "wasi:cli/types@0.3.0" (instance $types
    (export "error-code" (type (eq $error-code)))))
  (alias export $types "error-code" (type $cli-error-code))
  (type $done (future (result (error $cli-error-code))))
  (import "wasi:cli/stdin@0.3.0" (instance $stdin
    (export "error-code" (type $ec (eq $cli-error-code)))
    (export "read-via-stream" (func (result (tuple (stream u8) (future (result (error $ec)))))))))
  (import "wasi:cli/stdout@0.3.0" (instance $stdout
    (export "error-code" (type $ec (eq $cli-error-code)))
    (export "write-via-stream" (func (param "data" (stream u8)) (result (future (result (error $ec))))))))

  (core module $libc
    (memory (export "memory") 1))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))

  (core func $read-via-stream (canon lower (func $stdin "read-via-stream") (memory $mem)))
  (core func $write-via-stream (canon lower (func $stdout "write-via-stream")))
  (core func $f.read (canon future.read $done async (memory $mem)))
  (core func $f.drop-r (canon future.drop-readable $done))
  (core func $ws.new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $return (canon task.return (result (result))))

  (core module $M
    (import "" "memory" (memory 1))
    (import "" "read-via-stream" (func $read-via-stream (param i32)))
    (import "" "write-via-stream" (func $write-via-stream (param i32) (result i32)))
    (import "" "f.read" (func $f.read (param i32 i32) (result i32)))
    (import "" "f.drop-r" (func $f.drop-r (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "return" (func $return (param i32)))
    (global $written (mut i32) (i32.const 0))  ;; the write's future
    (func $finish (result i32)
      (call $f.drop-r (global.get $written))
      (call $f.drop-r (i32.load (i32.const 0x104)))  ;; stdin's own future: not waited for
      (call $return (i32.load8_u (i32.const 0x200)))  ;; the write's result<_, error-code>
      (i32.const 0))  ;; EXIT
    (func (export "run") (result i32)
      (local $set i32)
      (call $read-via-stream (i32.const 0x100))  ;; (stream, future) at 0x100
      (global.set $written (call $write-via-stream (i32.load (i32.const 0x100))))
      (if (i32.eq (call $f.read (global.get $written) (i32.const 0x200)) (i32.const -1))
        (then
          (local.set $set (call $ws.new))
          (call $join (global.get $written) (local.get $set))
          (return (i32.or (i32.const 2) (i32.shl (local.get $set) (i32.const 4))))))  ;; WAIT
      (call $finish))
    (func (export "run-callback") (param $event i32) (param $handle i32) (param $payload i32) (result i32)
      (call $join (global.get $written) (i32.const 0))  ;; leave the set before dropping
      (call $finish)))
  (core instance $m (instantiate $M (with "" (instance
    (export "memory" (memory $mem))
    (export "read-via-stream" (func $read-via-stream))
    (export "write-via-stream" (func $write-via-stream))
    (export "f.read" (func $f.read))
    (export "f.drop-r" (func $f.drop-r))
    (export "ws.new" (func $ws.new))
    (export "join" (func $join))
    (export "return" (func $return))))))
  (func $run async (result (result))
    (canon lift (core func $m "run") async (callback (core func $m "run-callback"))))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.3.0" (instance $run-instance))
)
