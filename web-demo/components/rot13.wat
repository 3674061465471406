;; The demo's async example, written by hand in component text format (callback ABI). In WIT:
;;
;;   import sleep: async func(ms: u32)
;;
;;   rot13: async func(input: stream<u8>) -> stream<u8>   ROT13 of the ASCII letters
;;   upper: async func(input: stream<u8>) -> stream<u8>   ASCII letters upper-cased
;;   countdown: async func(n: u32, ms: u32) -> u32        awaits sleep(ms) n times, returns n
;;                                                        (cancelled: stops after the sleep
;;                                                        in flight, with task.cancel)
;;
;; A transform returns its output stream at once, then loops: read up to 64 KiB from the
;; input, map the bytes in place, write them all to the output, read again. Only one copy
;; is in flight at a time, so a slow reader of the output holds back the reads of the
;; input (backpressure) and memory stays at one buffer per call. Calls may run
;; concurrently: each task keeps its state in a block found through context slot 0.
(component
  (import "sleep" (func $sleep async (param "ms" u32)))
  (type $bytes (stream u8))

  (core module $Libc (memory (export "memory") 1))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $mem))

  (core func $stream.new (canon stream.new $bytes))
  (core func $stream.read (canon stream.read $bytes async (memory $mem)))
  (core func $stream.write (canon stream.write $bytes async (memory $mem)))
  (core func $drop-readable (canon stream.drop-readable $bytes))
  (core func $drop-writable (canon stream.drop-writable $bytes))
  (core func $return-stream (canon task.return (result $bytes)))
  (core func $return-u32 (canon task.return (result u32)))
  (core func $ws.new (canon waitable-set.new))
  (core func $ws.drop (canon waitable-set.drop))
  (core func $join (canon waitable.join))
  (core func $subtask.drop (canon subtask.drop))
  (core func $context.get (canon context.get i32 0))
  (core func $context.set (canon context.set i32 0))
  (core func $task.cancel (canon task.cancel))
  (core func $sleep-async (canon lower (func $sleep) async))

  (core module $Main
    (import "" "memory" (memory 1))
    (import "" "stream.new" (func $stream.new (result i64)))
    (import "" "stream.read" (func $stream.read (param i32 i32 i32) (result i32)))
    (import "" "stream.write" (func $stream.write (param i32 i32 i32) (result i32)))
    (import "" "drop-readable" (func $drop-readable (param i32)))
    (import "" "drop-writable" (func $drop-writable (param i32)))
    (import "" "return-stream" (func $return-stream (param i32)))
    (import "" "return-u32" (func $return-u32 (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "ws.drop" (func $ws.drop (param i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "subtask.drop" (func $subtask.drop (param i32)))
    (import "" "context.get" (func $context.get (result i32)))
    (import "" "context.set" (func $context.set (param i32)))
    (import "" "sleep" (func $sleep (param i32) (result i32)))
    (import "" "task.cancel" (func $task.cancel))

    ;; Constants of the async ABI
    (global $BLOCKED i32 (i32.const -1))
    (global $EXIT i32 (i32.const 0))
    (global $WAIT i32 (i32.const 2))
    (global $DROPPED i32 (i32.const 1))      ;; a copy result (low 4 bits of a payload)
    (global $RETURNED i32 (i32.const 2))     ;; a subtask state
    (global $SUBTASK i32 (i32.const 1))      ;; event codes
    (global $TASK_CANCELLED i32 (i32.const 6))
    (global $STREAM_READ i32 (i32.const 2))
    (global $STREAM_WRITE i32 (i32.const 3))
    (global $CHUNK i32 (i32.const 65536))

    ;; ---- memory: fixed-size blocks, reused through free lists ------------------------
    ;; Heads of the free lists: task states (64 bytes) at 16, buffers (CHUNK bytes) at 20.
    ;; A free block's first word links to the next one.
    (global $heap (mut i32) (i32.const 1024))
    (func $grab (param $list i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.load (local.get $list)))
      (if (local.get $p) (then
        (i32.store (local.get $list) (i32.load (local.get $p)))
        (return (local.get $p))))
      (local.set $p (global.get $heap))
      (global.set $heap (i32.add (local.get $p) (local.get $size)))
      (if (i32.gt_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
        (then (if (i32.eq (memory.grow (i32.add (i32.const 1) (i32.shr_u (local.get $size) (i32.const 16))))
                          (i32.const -1))
          (then unreachable))))
      (local.get $p))
    (func $release (param $list i32) (param $p i32)
      (i32.store (local.get $p) (i32.load (local.get $list)))
      (i32.store (local.get $list) (local.get $p)))

    ;; ---- the transforms --------------------------------------------------------------
    ;; A transform's state block: input (readable end) at 0, output (writable end) at 4,
    ;; waitable set at 8, bytes in the buffer at 12, bytes of them written at 16, mode
    ;; (0 rot13, 1 upper) at 20, buffer at 24, input ended at 28.
    (func $start-transform (param $input i32) (param $mode i32) (result i32)
      (local $st i32) (local $ends i64) (local $ws i32)
      (local.set $st (call $grab (i32.const 16) (i32.const 64)))
      (local.set $ends (call $stream.new))
      (local.set $ws (call $ws.new))
      (i32.store offset=0 (local.get $st) (local.get $input))
      (i32.store offset=4 (local.get $st) (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (i32.store offset=8 (local.get $st) (local.get $ws))
      (i32.store offset=12 (local.get $st) (i32.const 0))
      (i32.store offset=16 (local.get $st) (i32.const 0))
      (i32.store offset=20 (local.get $st) (local.get $mode))
      (i32.store offset=24 (local.get $st) (call $grab (i32.const 20) (global.get $CHUNK)))
      (i32.store offset=28 (local.get $st) (i32.const 0))
      (call $join (local.get $input) (local.get $ws))
      (call $join (i32.load offset=4 (local.get $st)) (local.get $ws))
      (call $context.set (local.get $st))
      (call $return-stream (i32.wrap_i64 (local.get $ends)))
      (call $pump (local.get $st)))

    (func (export "rot13") (param $input i32) (result i32)
      (call $start-transform (local.get $input) (i32.const 0)))
    (func (export "upper") (param $input i32) (result i32)
      (call $start-transform (local.get $input) (i32.const 1)))

    ;; Copies until a read or write blocks (WAIT) or the transform is over (EXIT).
    (func $pump (param $st i32) (result i32)
      (local $ret i32) (local $buffered i32) (local $written i32)
      (loop $again
        (local.set $buffered (i32.load offset=12 (local.get $st)))
        (local.set $written (i32.load offset=16 (local.get $st)))
        (if (i32.lt_u (local.get $written) (local.get $buffered))
          (then
            (local.set $ret (call $stream.write (i32.load offset=4 (local.get $st))
              (i32.add (i32.load offset=24 (local.get $st)) (local.get $written))
              (i32.sub (local.get $buffered) (local.get $written))))
            (if (i32.eq (local.get $ret) (global.get $BLOCKED)) (then (return (call $wait (local.get $st)))))
            (if (call $wrote (local.get $st) (local.get $ret)) (then (return (call $finish (local.get $st)))))
            (br $again)))
        (if (i32.load offset=28 (local.get $st)) (then (return (call $finish (local.get $st)))))
        (local.set $ret (call $stream.read (i32.load offset=0 (local.get $st))
          (i32.load offset=24 (local.get $st)) (global.get $CHUNK)))
        (if (i32.eq (local.get $ret) (global.get $BLOCKED)) (then (return (call $wait (local.get $st)))))
        (call $got (local.get $st) (local.get $ret))
        (br $again))
      unreachable)

    (func $wait (param $st i32) (result i32)
      (i32.or (global.get $WAIT) (i32.shl (i32.load offset=8 (local.get $st)) (i32.const 4))))

    ;; A read's payload (progress << 4 | copy result): map the bytes read, note the end.
    (func $got (param $st i32) (param $payload i32)
      (local $n i32)
      (local.set $n (i32.shr_u (local.get $payload) (i32.const 4)))
      (if (i32.load offset=20 (local.get $st))
        (then (call $upper (i32.load offset=24 (local.get $st)) (local.get $n)))
        (else (call $rot13 (i32.load offset=24 (local.get $st)) (local.get $n))))
      (i32.store offset=12 (local.get $st) (local.get $n))
      (i32.store offset=16 (local.get $st) (i32.const 0))
      (if (i32.eq (i32.and (local.get $payload) (i32.const 15)) (global.get $DROPPED))
        (then (i32.store offset=28 (local.get $st) (i32.const 1)))))

    ;; A write's payload: count what was written; whether the reader has gone.
    (func $wrote (param $st i32) (param $payload i32) (result i32)
      (i32.store offset=16 (local.get $st)
        (i32.add (i32.load offset=16 (local.get $st)) (i32.shr_u (local.get $payload) (i32.const 4))))
      (i32.eq (i32.and (local.get $payload) (i32.const 15)) (global.get $DROPPED)))

    (func $finish (param $st i32) (result i32)
      (call $join (i32.load offset=0 (local.get $st)) (i32.const 0))
      (call $join (i32.load offset=4 (local.get $st)) (i32.const 0))
      (call $drop-readable (i32.load offset=0 (local.get $st)))
      (call $drop-writable (i32.load offset=4 (local.get $st)))
      (call $ws.drop (i32.load offset=8 (local.get $st)))
      (call $release (i32.const 20) (i32.load offset=24 (local.get $st)))
      (call $release (i32.const 16) (local.get $st))
      (global.get $EXIT))

    (func (export "transform-cb") (param $event i32) (param $handle i32) (param $payload i32) (result i32)
      (local $st i32)
      (local.set $st (call $context.get))
      (if (i32.eq (local.get $event) (global.get $STREAM_READ))
        (then (call $got (local.get $st) (local.get $payload)) (return (call $pump (local.get $st)))))
      (if (i32.eq (local.get $event) (global.get $STREAM_WRITE))
        (then
          (if (call $wrote (local.get $st) (local.get $payload)) (then (return (call $finish (local.get $st)))))
          (return (call $pump (local.get $st)))))
      unreachable)

    (func $rot13 (param $p i32) (param $n i32)
      (local $end i32) (local $c i32) (local $base i32)
      (local.set $end (i32.add (local.get $p) (local.get $n)))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $c (i32.load8_u (local.get $p)))
          ;; letters: base 'A' (65) or 'a' (97); (c - base + 13) mod 26 + base
          (local.set $base (i32.and (local.get $c) (i32.const 0x20)))
          (local.set $base (i32.add (local.get $base) (i32.const 65)))
          (if (i32.lt_u (i32.sub (local.get $c) (local.get $base)) (i32.const 26))
            (then (i32.store8 (local.get $p)
              (i32.add (local.get $base)
                (i32.rem_u (i32.add (i32.sub (local.get $c) (local.get $base)) (i32.const 13)) (i32.const 26))))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $next))))

    (func $upper (param $p i32) (param $n i32)
      (local $end i32) (local $c i32)
      (local.set $end (i32.add (local.get $p) (local.get $n)))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $c (i32.load8_u (local.get $p)))
          (if (i32.lt_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 26))
            (then (i32.store8 (local.get $p) (i32.sub (local.get $c) (i32.const 32)))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $next))))

    ;; ---- countdown -------------------------------------------------------------------
    ;; State block: sleeps left at 0, ms at 4, waitable set at 8, n at 12, whether the
    ;; caller cancelled at 16.
    (func (export "countdown") (param $n i32) (param $ms i32) (result i32)
      (local $st i32)
      (local.set $st (call $grab (i32.const 16) (i32.const 64)))
      (i32.store offset=0 (local.get $st) (local.get $n))
      (i32.store offset=4 (local.get $st) (local.get $ms))
      (i32.store offset=8 (local.get $st) (call $ws.new))
      (i32.store offset=12 (local.get $st) (local.get $n))
      (i32.store offset=16 (local.get $st) (i32.const 0))
      (call $context.set (local.get $st))
      (call $next-sleep (local.get $st)))

    ;; Starts sleeps until one has to be waited for (WAIT), or returns n when none is left.
    (func $next-sleep (param $st i32) (result i32)
      (local $status i32)
      (loop $again
        (if (i32.eqz (i32.load offset=0 (local.get $st)))
          (then
            (call $ws.drop (i32.load offset=8 (local.get $st)))
            (call $return-u32 (i32.load offset=12 (local.get $st)))
            (call $release (i32.const 16) (local.get $st))
            (return (global.get $EXIT))))
        (i32.store offset=0 (local.get $st) (i32.sub (i32.load offset=0 (local.get $st)) (i32.const 1)))
        (local.set $status (call $sleep (i32.load offset=4 (local.get $st))))
        (br_if $again (i32.eq (local.get $status) (global.get $RETURNED)))
        ;; started or starting: a subtask whose SUBTASK event says when it has returned
        (call $join (i32.shr_u (local.get $status) (i32.const 4)) (i32.load offset=8 (local.get $st)))
        (return (call $wait (local.get $st))))
      unreachable)

    ;; A cancel is noted; the sleep in flight is let run out (a subtask is dropped only
    ;; once it has returned), then the task acknowledges the cancel instead of going on.
    (func (export "countdown-cb") (param $event i32) (param $subtask i32) (param $state i32) (result i32)
      (local $st i32)
      (local.set $st (call $context.get))
      (if (i32.eq (local.get $event) (global.get $TASK_CANCELLED))
        (then
          (i32.store offset=16 (local.get $st) (i32.const 1))
          (return (call $wait (local.get $st)))))
      (if (i32.ne (local.get $event) (global.get $SUBTASK)) (then unreachable))
      (if (i32.ne (local.get $state) (global.get $RETURNED)) (then (return (call $wait (local.get $st)))))
      (call $join (local.get $subtask) (i32.const 0))
      (call $subtask.drop (local.get $subtask))
      (if (i32.load offset=16 (local.get $st))
        (then
          (call $ws.drop (i32.load offset=8 (local.get $st)))
          (call $task.cancel)
          (call $release (i32.const 16) (local.get $st))
          (return (global.get $EXIT))))
      (call $next-sleep (local.get $st)))
  )
  (core instance $main (instantiate $Main (with "" (instance
    (export "memory" (memory $mem))
    (export "stream.new" (func $stream.new))
    (export "stream.read" (func $stream.read))
    (export "stream.write" (func $stream.write))
    (export "drop-readable" (func $drop-readable))
    (export "drop-writable" (func $drop-writable))
    (export "return-stream" (func $return-stream))
    (export "return-u32" (func $return-u32))
    (export "ws.new" (func $ws.new))
    (export "ws.drop" (func $ws.drop))
    (export "join" (func $join))
    (export "subtask.drop" (func $subtask.drop))
    (export "context.get" (func $context.get))
    (export "context.set" (func $context.set))
    (export "sleep" (func $sleep-async))
    (export "task.cancel" (func $task.cancel))))))

  (func (export "rot13") async (param "input" $bytes) (result $bytes)
    (canon lift (core func $main "rot13") async (callback (core func $main "transform-cb"))))
  (func (export "upper") async (param "input" $bytes) (result $bytes)
    (canon lift (core func $main "upper") async (callback (core func $main "transform-cb"))))
  (func (export "countdown") async (param "n" u32) (param "ms" u32) (result u32)
    (canon lift (core func $main "countdown") async (callback (core func $main "countdown-cb"))))
)
