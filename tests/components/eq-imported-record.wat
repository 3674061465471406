;; A record type defined by the outer component and passed into nested components that
;; import it with a type bound, `(import "point" (type $p (eq ...)))`. Their exported
;; instances have functions typed with the imported name, and the outer component
;; re-exports those instances. Explainer.md "External Visibility of Types": a record used
;; by an export needs a name, and a name is the type index an import or export introduces
;; (or an alias of one), so each shape below names `point` where the spec says it must.
(component $outer
  (type $point (record (field "x" u32) (field "y" u32)))
  (export $point' "point" (type $point))

  ;; The functions behind every instance: sum(p) = x + y, make(x, y) = {x, y}.
  (core module $Geometry
    (memory (export "memory") 1)
    (func (export "sum") (param $x i32) (param $y i32) (result i32)
      (i32.add (local.get $x) (local.get $y)))
    (func (export "make") (param $x i32) (param $y i32) (result i32)
      (i32.store (i32.const 16) (local.get $x))
      (i32.store (i32.const 20) (local.get $y))
      (i32.const 16)))

  ;; 1. The plain shape: the import names the record inside; outside, the argument is the
  ;;    outer component's exported `point`.
  (component $Plain
    (alias outer $outer $point (type $outer-point))
    (import "point" (type $p (eq $outer-point)))
    (alias outer $outer $Geometry (core module $Geometry))
    (core instance $g (instantiate $Geometry))
    (func $sum (param "p" $p) (result u32) (canon lift (core func $g "sum")))
    (func $make (param "x" u32) (param "y" u32) (result $p)
      (canon lift (core func $g "make") (memory (core memory $g "memory"))))
    (instance $api (export "sum" (func $sum)) (export "make" (func $make)))
    (export "api" (instance $api)))
  (instance $plain (instantiate $Plain (with "point" (type $point'))))
  (export "plain" (instance $plain "api"))

  ;; 2. Through a middle component, which imports the record with an eq bound too and
  ;;    passes its own import on.
  (component $Middle
    (alias outer $outer $point (type $outer-point))
    (import "point" (type $p (eq $outer-point)))
    (alias outer $outer $Plain (component $Plain))
    (instance $inner (instantiate $Plain (with "point" (type $p))))
    (export "api" (instance $inner "api")))
  (instance $middle (instantiate $Middle (with "point" (type $point'))))
  (export "middle" (instance $middle "api"))

  ;; 3. The argument is the outer component's unexported definition, but the instance
  ;;    exports the record beside the functions: exporting the instance names it.
  (component $Bundled
    (alias outer $outer $point (type $outer-point))
    (import "point" (type $p (eq $outer-point)))
    (alias outer $outer $Geometry (core module $Geometry))
    (core instance $g (instantiate $Geometry))
    (func $sum (param "p" $p) (result u32) (canon lift (core func $g "sum")))
    (func $make (param "x" u32) (param "y" u32) (result $p)
      (canon lift (core func $g "make") (memory (core memory $g "memory"))))
    (instance $api (export "point" (type $p)) (export "sum" (func $sum)) (export "make" (func $make)))
    (export "api" (instance $api)))
  (instance $bundled (instantiate $Bundled (with "point" (type $point))))
  (export "bundled" (instance $bundled "api")))
