;; One instance type, imported twice by a nested component: each import carries the record
;; `point` as a type export of its own. The nested component's functions are typed with
;; `b`'s name; the outer component binds `b` to its exported `point` and `a` to an
;; unexported copy, and re-exports the functions. Explainer.md "External Visibility of
;; Types": every import introduces type indices of its own, so instantiation binds each
;; import's `point` to its own argument, and `b`'s (the one used) is named outside.
;; (wasm-tools 0.259 stops at an internal assertion on this shape, since it keeps one
;; type identity for both imports; `jco parse` only assembles it.)
(component $outer
  (type $point (record (field "x" u32) (field "y" u32)))
  (export $point' "point" (type $point))
  (type $shapes (instance
    (type $rec (record (field "x" u32) (field "y" u32)))
    (export "point" (type (eq $rec)))))
  (component $TwoImports
    (alias outer $outer $shapes (type $shapes))
    (import "a" (instance $a (type $shapes)))
    (import "b" (instance $b (type $shapes)))
    (alias export $b "point" (type $p))
    (core module $Geometry
      (memory (export "memory") 1)
      (func (export "sum") (param $x i32) (param $y i32) (result i32)
        (i32.add (local.get $x) (local.get $y)))
      (func (export "make") (param $x i32) (param $y i32) (result i32)
        (i32.store (i32.const 16) (local.get $x))
        (i32.store (i32.const 20) (local.get $y))
        (i32.const 16)))
    (core instance $g (instantiate $Geometry))
    (func $sum (param "p" $p) (result u32) (canon lift (core func $g "sum")))
    (func $make (param "x" u32) (param "y" u32) (result $p)
      (canon lift (core func $g "make") (memory (core memory $g "memory"))))
    (instance $api (export "sum" (func $sum)) (export "make" (func $make)))
    (export "api" (instance $api)))
  (instance $unnamed (export "point" (type $point)))
  (instance $named (export "point" (type $point')))
  (instance $two (instantiate $TwoImports (with "a" (instance $unnamed)) (with "b" (instance $named))))
  (export "api" (instance $two "api")))
