;; The benchmark component (npm run bench):
;;   add(a: u32, b: u32) -> u32
;;   echo(s: string) -> string         returns its argument (lowered into our memory)
;;   bytes(b: list<u8>) -> list<u8>    likewise
;; The allocator is a bump pointer that post-return resets, so a million calls do not
;; grow memory.
(component
  (core module $M
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $heap (i32.add (local.get $p) (local.get 3)))
      (block $ok
        (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
        (drop (memory.grow (i32.add (i32.const 1)
          (i32.shr_u (i32.sub (global.get $heap) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16))))))
      (if (local.get 1) (then (memory.copy (local.get $p) (local.get 0) (select (local.get 1) (local.get 3) (i32.lt_u (local.get 1) (local.get 3))))))
      (local.get $p))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 16) (local.get 0))
      (i32.store (i32.const 20) (local.get 1))
      (i32.const 16))
    (func (export "reset") (param i32) (global.set $heap (i32.const 1024))))
  (core instance $m (instantiate $M))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $m "add")))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $m "echo") (memory (core memory $m "memory")) (realloc (core func $m "realloc"))
      (post-return (core func $m "reset"))))
  (func (export "bytes") (param "b" (list u8)) (result (list u8))
    (canon lift (core func $m "echo") (memory (core memory $m "memory")) (realloc (core func $m "realloc"))
      (post-return (core func $m "reset"))))
)
