;; A WASI 0.3 `cp input.txt output.txt` in component text, for the in-memory filesystem
;; (tests/wasi/filesystem.test.mjs): `run` (async, callback ABI) takes the first preopen,
;; opens input.txt for reading and output.txt to create and write (open-at, lowered
;; async), hands input.txt's read-via-stream, unread, to output.txt's write-via-stream,
;; waits for the write's future and returns its result. A MemoryDirectory answers open-at
;; on the spot, so the calls must come back RETURNED: anything else traps (`unreachable`),
;; which is what the test checks. An open-at error returns err; so does a failed write.
(component
  (type $error-code' (variant
    (case "access") (case "already") (case "bad-descriptor") (case "busy") (case "deadlock")
    (case "quota") (case "exist") (case "file-too-large") (case "illegal-byte-sequence")
    (case "in-progress") (case "interrupted") (case "invalid") (case "io") (case "is-directory")
    (case "loop") (case "too-many-links") (case "message-size") (case "name-too-long")
    (case "no-device") (case "no-entry") (case "no-lock") (case "insufficient-memory")
    (case "insufficient-space") (case "not-directory") (case "not-empty") (case "not-recoverable")
    (case "unsupported") (case "no-tty") (case "no-such-device") (case "overflow")
    (case "not-permitted") (case "pipe") (case "read-only") (case "invalid-seek")
    (case "text-file-busy") (case "cross-device") (case "other" (option string))))
  (type $path-flags' (flags "symlink-follow"))
  (type $open-flags' (flags "create" "directory" "exclusive" "truncate"))
  (type $descriptor-flags' (flags "read" "write" "file-integrity-sync" "data-integrity-sync"
                                  "requested-write-sync" "mutate-directory"))
  (import "wasi:filesystem/types@0.3.0" (instance $fs
    (export "descriptor" (type $d (sub resource)))
    (export "error-code" (type $ec (eq $error-code')))
    (export "path-flags" (type $pf (eq $path-flags')))
    (export "open-flags" (type $of (eq $open-flags')))
    (export "descriptor-flags" (type $df (eq $descriptor-flags')))
    (export "[method]descriptor.open-at" (func async
      (param "self" (borrow $d)) (param "path-flags" $pf) (param "path" string)
      (param "open-flags" $of) (param "flags" $df) (result (result (own $d) (error $ec)))))
    (export "[method]descriptor.read-via-stream" (func
      (param "self" (borrow $d)) (param "offset" u64)
      (result (tuple (stream u8) (future (result (error $ec)))))))
    (export "[method]descriptor.write-via-stream" (func
      (param "self" (borrow $d)) (param "data" (stream u8)) (param "offset" u64)
      (result (future (result (error $ec))))))))
  (alias export $fs "descriptor" (type $descriptor))
  (alias export $fs "error-code" (type $error-code))
  (import "wasi:filesystem/preopens@0.3.0" (instance $preopens
    (export "descriptor" (type $d (eq $descriptor)))
    (export "get-directories" (func (result (list (tuple (own $d) string)))))))
  (type $done (future (result (error $error-code))))

  ;; Memory and a bump allocator (nothing is freed: `run` runs once).
  (core module $libc
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 0x1000))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $at i32)
      (local.set $at (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                              (i32.sub (i32.const 0) (local.get 2))))
      (global.set $next (i32.add (local.get $at) (local.get 3)))
      (local.get $at))
    (data (i32.const 0x40) "input.txt")
    (data (i32.const 0x50) "output.txt"))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  (core func $get-directories (canon lower (func $preopens "get-directories") (memory $mem) (realloc $realloc)))
  (core func $open-at (canon lower (func $fs "[method]descriptor.open-at") async (memory $mem) (realloc $realloc)))
  (core func $read-via-stream (canon lower (func $fs "[method]descriptor.read-via-stream") (memory $mem)))
  (core func $write-via-stream (canon lower (func $fs "[method]descriptor.write-via-stream")))
  (core func $f.read (canon future.read $done async (memory $mem) (realloc $realloc)))
  (core func $f.drop-r (canon future.drop-readable $done))
  (core func $ws.new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $return (canon task.return (result (result))))

  (core module $M
    (import "" "memory" (memory 1))
    (import "" "get-directories" (func $get-directories (param i32)))
    (import "" "open-at" (func $open-at (param i32 i32) (result i32)))
    (import "" "read-via-stream" (func $read-via-stream (param i32 i64 i32)))
    (import "" "write-via-stream" (func $write-via-stream (param i32 i32 i64) (result i32)))
    (import "" "f.read" (func $f.read (param i32 i32) (result i32)))
    (import "" "f.drop-r" (func $f.drop-r (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "return" (func $return (param i32)))
    (global $written (mut i32) (i32.const 0))  ;; the write's future
    ;; open-at(dir, {}, path, open-flags, flags): the spilled arguments at 0x100, the
    ;; result<own<descriptor>, error-code> at 0x200; gives the descriptor, or -1 for err.
    (func $open (param $dir i32) (param $path i32) (param $len i32) (param $open-flags i32) (param $flags i32) (result i32)
      (i32.store (i32.const 0x100) (local.get $dir))
      (i32.store8 (i32.const 0x104) (i32.const 0))  ;; path-flags: {}
      (i32.store (i32.const 0x108) (local.get $path))
      (i32.store (i32.const 0x10c) (local.get $len))
      (i32.store8 (i32.const 0x110) (local.get $open-flags))
      (i32.store8 (i32.const 0x111) (local.get $flags))
      (if (i32.ne (call $open-at (i32.const 0x100) (i32.const 0x200)) (i32.const 2))  ;; RETURNED
        (then unreachable))
      (if (result i32) (i32.load8_u (i32.const 0x200))
        (then (i32.const -1))
        (else (i32.load (i32.const 0x204)))))
    (func $finish (result i32)
      (call $f.drop-r (global.get $written))
      (call $f.drop-r (i32.load (i32.const 0x304)))  ;; input.txt's own future: not waited for
      (call $return (i32.load8_u (i32.const 0x400)))  ;; the write's result<_, error-code>
      (i32.const 0))  ;; EXIT
    (func (export "run") (result i32)
      (local $dir i32) (local $in i32) (local $out i32) (local $set i32)
      (call $get-directories (i32.const 0x20))  ;; list (ptr, len) at 0x20
      (if (i32.eqz (i32.load (i32.const 0x24))) (then unreachable))  ;; no preopen
      (local.set $dir (i32.load (i32.load (i32.const 0x20))))  ;; the first tuple's descriptor
      (local.set $in (call $open (local.get $dir) (i32.const 0x40) (i32.const 9) (i32.const 0) (i32.const 1)))  ;; {read}
      (local.set $out (call $open (local.get $dir) (i32.const 0x50) (i32.const 10) (i32.const 9) (i32.const 2)))  ;; {create, truncate}, {write}
      (if (i32.or (i32.eq (local.get $in) (i32.const -1)) (i32.eq (local.get $out) (i32.const -1)))
        (then
          (call $return (i32.const 1))  ;; err
          (return (i32.const 0))))
      (call $read-via-stream (local.get $in) (i64.const 0) (i32.const 0x300))  ;; (stream, future) at 0x300
      (global.set $written (call $write-via-stream (local.get $out) (i32.load (i32.const 0x300)) (i64.const 0)))
      (if (i32.eq (call $f.read (global.get $written) (i32.const 0x400)) (i32.const -1))
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
    (export "get-directories" (func $get-directories))
    (export "open-at" (func $open-at))
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
