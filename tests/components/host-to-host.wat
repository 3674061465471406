;; Streams and futures whose both ends are the host's (tests/js/streams.test.mjs): each
;; export calls an import that returns a stream or future (its writer is the host) and
;; returns that readable end, unread, to the host, which then reads what it wrote itself.
(component
  (type $F (future string))
  (type $S (stream string))
  (type $B (stream u8))
  (import "future-source" (func $future-source (result $F)))
  (import "stream-source" (func $stream-source (result $S)))
  (import "bytes-source" (func $bytes-source (result $B)))
  (core func $future-source (canon lower (func $future-source)))
  (core func $stream-source (canon lower (func $stream-source)))
  (core func $bytes-source (canon lower (func $bytes-source)))
  (core module $m
    (import "" "future-source" (func $future-source (result i32)))
    (import "" "stream-source" (func $stream-source (result i32)))
    (import "" "bytes-source" (func $bytes-source (result i32)))
    (func (export "pass-future") (result i32) (call $future-source))
    (func (export "pass-stream") (result i32) (call $stream-source))
    (func (export "pass-bytes") (result i32) (call $bytes-source)))
  (core instance $i (instantiate $m (with "" (instance
    (export "future-source" (func $future-source))
    (export "stream-source" (func $stream-source))
    (export "bytes-source" (func $bytes-source))))))
  (func (export "pass-future") (result $F) (canon lift (core func $i "pass-future")))
  (func (export "pass-stream") (result $S) (canon lift (core func $i "pass-stream")))
  (func (export "pass-bytes") (result $B) (canon lift (core func $i "pass-bytes"))))
