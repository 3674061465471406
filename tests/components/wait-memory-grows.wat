;; A stackful task that blocks in waitable-set.wait with an event pointer its memory does
;; not hold yet (tests/js/wait-event-pointer.test.mjs). The spec stores the event, and checks
;; the pointer, when the wait returns: by then the host has grown the memory.
;; run(ptr): pings the host (an async import), waits for the subtask's event at ptr,
;;   returns the event's p2 (the subtask's state, 2 = returned).
;; grow(pages): memory.grow; returns the old page count.
(component
  (import "ping" (func $ping async (param "x" u32) (result u32)))
  (core module $libc (memory (export "memory") 1))
  (core instance $libc (instantiate $libc))
  (core func $ping-async (canon lower (func $ping) async (memory (core memory $libc "memory"))))
  (core func $task.return (canon task.return (result u32)))
  (core func $ws.new (canon waitable-set.new))
  (core func $ws.wait (canon waitable-set.wait (memory (core memory $libc "memory"))))
  (core func $join (canon waitable.join))
  (core module $m
    (import "" "memory" (memory 1))
    (import "" "ping" (func $ping (param i32 i32) (result i32)))
    (import "" "return" (func $return (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "ws.wait" (func $ws.wait (param i32 i32) (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (func (export "run") (param $ptr i32)
      (local $r i32) (local $ws i32)
      (local.set $ws (call $ws.new))
      ;; the answer lands at address 0; the subtask's index is in r's upper bits
      (local.set $r (call $ping (i32.const 7) (i32.const 0)))
      (call $join (i32.shr_u (local.get $r) (i32.const 4)) (local.get $ws))
      (drop (call $ws.wait (local.get $ws) (local.get $ptr)))
      (call $return (i32.load (i32.add (local.get $ptr) (i32.const 4)))))
    (func (export "grow") (param $pages i32) (result i32)
      (memory.grow (local.get $pages))))
  (core instance $i (instantiate $m (with "" (instance
    (export "memory" (memory $libc "memory"))
    (export "ping" (func $ping-async))
    (export "return" (func $task.return))
    (export "ws.new" (func $ws.new))
    (export "ws.wait" (func $ws.wait))
    (export "join" (func $join))))))
  (func (export "run") async (param "ptr" u32) (result u32) (canon lift (core func $i "run") async))
  (func (export "grow") (param "pages" u32) (result s32) (canon lift (core func $i "grow"))))
