;; Host resources that go into the guest and come back to the host, owned
;; (tests/js/host-resource-lifetime.test.mjs): `make-and-give` gets a `box` from the host's
;; constructor and gives it back through the host's `keep`; `pass-through` returns the box
;; it was given. Once back, the host owns the object alone: nothing of the runtime's may
;; keep it alive (a serve() that round-trips fields and responses per request did).
(component
  (import "test:host/boxes" (instance $boxes
    (export "box" (type $box (sub resource)))
    (export "[constructor]box" (func (result (own $box))))
    (export "keep" (func (param "b" (own $box))))))
  (alias export $boxes "box" (type $box))
  (core func $box-new (canon lower (func $boxes "[constructor]box")))
  (core func $keep (canon lower (func $boxes "keep")))
  (core module $M
    (import "" "box-new" (func $box-new (result i32)))
    (import "" "keep" (func $keep (param i32)))
    (func (export "make-and-give") (call $keep (call $box-new)))
    (func (export "pass-through") (param $b i32) (result i32) (local.get $b)))
  (core instance $m (instantiate $M (with "" (instance
    (export "box-new" (func $box-new))
    (export "keep" (func $keep))))))
  (func (export "make-and-give") (canon lift (core func $m "make-and-give")))
  (func (export "pass-through") (param "b" (own $box)) (result (own $box))
    (canon lift (core func $m "pass-through")))
)
