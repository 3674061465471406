;; The demo's example of richer values, written by hand in component text format. It
;; exports one interface, in WIT:
;;
;;   package demo:values;
;;   interface showcase {
;;     record size { width: f64, height: f64 }
;;     variant shape { circle(f64), rect(size), point }
;;     enum div-error { divide-by-zero, overflow }
;;     flags permissions { read, write, admin }
;;     record user { name: string, age: u8, perms: permissions }
;;
;;     area: func(s: shape) -> f64
;;     checked-div: func(a: s32, b: s32) -> result<s32, div-error>
;;     unchecked-div: func(a: u32, b: u32) -> u32        traps when b is 0
;;     find-user: func(id: u32) -> option<user>          users 1 and 2 exist
;;     grant: func(have: permissions, add: permissions) -> permissions
;;     min-max: func(values: list<s32>) -> option<tuple<s32, s32>>
;;     split-words: func(text: string) -> list<string>   split at spaces
;;     fib: func(n: u8) -> u64                           wraps past n = 93
;;   }
;;
;; Memory: a bump allocator; every call's post-return frees all it allocated (arguments
;; and results alike), since nothing outlives a call.
(component
  (core module $Main
    (memory (export "memory") 1)
    ;; users: names, then the option<user> records find-user returns (see $find-user)
    (data (i32.const 64) "alice")
    (data (i32.const 72) "bob")
    (global $heap_base i32 (i32.const 4096))
    (global $heap (mut i32) (i32.const 4096))

    ;; realloc(old_ptr, old_size, align, new_size)
    (func $realloc (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
      (global.set $heap (i32.add (local.get $p) (local.get $size)))
      (block $ok
        (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
        (drop (memory.grow (i32.add (i32.const 1)
          (i32.shr_u (i32.sub (global.get $heap) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16))))))
      (if (local.get $old_size) (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
      (local.get $p))

    ;; post-return: the results have been lifted, so everything allocated is garbage
    (func (export "free-all") (param i32)
      (global.set $heap (global.get $heap_base)))

    ;; area(s): the variant flattens to (case, f64, f64): circle(r) uses the first f64,
    ;; rect({width, height}) both, point neither
    (func (export "area") (param $case i32) (param $a f64) (param $b f64) (result f64)
      (if (i32.eqz (local.get $case))
        (then (return (f64.mul (f64.const 3.141592653589793) (f64.mul (local.get $a) (local.get $a))))))
      (if (i32.eq (local.get $case) (i32.const 1))
        (then (return (f64.mul (local.get $a) (local.get $b)))))
      (f64.const 0))

    ;; checked-div: result<s32, div-error> in memory at 16: case u8 at 16, payload at 20
    (func (export "checked-div") (param $a i32) (param $b i32) (result i32)
      (block $err
        (if (i32.eqz (local.get $b))
          (then (i32.store (i32.const 20) (i32.const 0)) (br $err)))
        (if (i32.and (i32.eq (local.get $a) (i32.const 0x80000000)) (i32.eq (local.get $b) (i32.const -1)))
          (then (i32.store (i32.const 20) (i32.const 1)) (br $err)))
        (i32.store8 (i32.const 16) (i32.const 0))
        (i32.store (i32.const 20) (i32.div_s (local.get $a) (local.get $b)))
        (return (i32.const 16)))
      (i32.store8 (i32.const 16) (i32.const 1))
      (i32.const 16))

    ;; unchecked-div: i32.div_u traps on a zero divisor
    (func (export "unchecked-div") (param $a i32) (param $b i32) (result i32)
      (i32.div_u (local.get $a) (local.get $b)))

    ;; find-user: option<user> at 16: case u8 at 16; name (ptr, len) at 20, 24; age at 28;
    ;; perms at 29 (read = 1, write = 2, admin = 4)
    (func $user (param $name i32) (param $len i32) (param $age i32) (param $perms i32) (result i32)
      (i32.store8 (i32.const 16) (i32.const 1))
      (i32.store (i32.const 20) (local.get $name))
      (i32.store (i32.const 24) (local.get $len))
      (i32.store8 (i32.const 28) (local.get $age))
      (i32.store8 (i32.const 29) (local.get $perms))
      (i32.const 16))
    (func (export "find-user") (param $id i32) (result i32)
      (if (i32.eq (local.get $id) (i32.const 1))
        (then (return (call $user (i32.const 64) (i32.const 5) (i32.const 36) (i32.const 3)))))
      (if (i32.eq (local.get $id) (i32.const 2))
        (then (return (call $user (i32.const 72) (i32.const 3) (i32.const 52) (i32.const 7)))))
      (i32.store8 (i32.const 16) (i32.const 0))
      (i32.const 16))

    (func (export "grant") (param $have i32) (param $add i32) (result i32)
      (i32.or (local.get $have) (local.get $add)))

    ;; min-max: option<tuple<s32, s32>> at 16: case u8 at 16, min at 20, max at 24
    (func (export "min-max") (param $ptr i32) (param $n i32) (result i32)
      (local $min i32) (local $max i32) (local $v i32) (local $end i32)
      (if (i32.eqz (local.get $n))
        (then (i32.store8 (i32.const 16) (i32.const 0)) (return (i32.const 16))))
      (local.set $min (i32.load (local.get $ptr)))
      (local.set $max (local.get $min))
      (local.set $end (i32.add (local.get $ptr) (i32.shl (local.get $n) (i32.const 2))))
      (block $done
        (loop $next
          (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
          (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
          (local.set $v (i32.load (local.get $ptr)))
          (if (i32.lt_s (local.get $v) (local.get $min)) (then (local.set $min (local.get $v))))
          (if (i32.gt_s (local.get $v) (local.get $max)) (then (local.set $max (local.get $v))))
          (br $next)))
      (i32.store8 (i32.const 16) (i32.const 1))
      (i32.store (i32.const 20) (local.get $min))
      (i32.store (i32.const 24) (local.get $max))
      (i32.const 16))

    ;; split-words: the words point into the argument string (still in memory until
    ;; post-return); the list of (ptr, len) pairs is allocated for the worst case, one
    ;; word per two bytes. The result (list ptr, count) is at 16.
    (func (export "split-words") (param $ptr i32) (param $len i32) (result i32)
      (local $list i32) (local $count i32) (local $i i32) (local $start i32) (local $entry i32)
      (local.set $list (call $realloc (i32.const 0) (i32.const 0) (i32.const 4)
        (i32.shl (i32.add (i32.shr_u (local.get $len) (i32.const 1)) (i32.const 1)) (i32.const 3))))
      (local.set $start (i32.const -1))
      (block $done
        (loop $next
          ;; at a space or at the end, a word in progress ends
          (if (i32.or (i32.ge_u (local.get $i) (local.get $len))
                      (i32.eq (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.const 32)))
            (then
              (if (i32.ge_s (local.get $start) (i32.const 0))
                (then
                  (local.set $entry (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 3))))
                  (i32.store (local.get $entry) (i32.add (local.get $ptr) (local.get $start)))
                  (i32.store offset=4 (local.get $entry) (i32.sub (local.get $i) (local.get $start)))
                  (local.set $count (i32.add (local.get $count) (i32.const 1)))
                  (local.set $start (i32.const -1)))))
            (else
              (if (i32.lt_s (local.get $start) (i32.const 0)) (then (local.set $start (local.get $i))))))
          (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (i32.store (i32.const 16) (local.get $list))
      (i32.store (i32.const 20) (local.get $count))
      (i32.const 16))

    (func (export "fib") (param $n i32) (result i64)
      (local $a i64) (local $b i64) (local $t i64)
      (local.set $b (i64.const 1))
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $t (i64.add (local.get $a) (local.get $b)))
          (local.set $a (local.get $b))
          (local.set $b (local.get $t))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $a))
  )
  (core instance $main (instantiate $Main))
  (alias core export $main "memory" (core memory $mem))
  (alias core export $main "realloc" (core func $realloc))
  (alias core export $main "free-all" (core func $free-all))

  ;; The functions, lifted with the types as this component defines them.
  (type $size (record (field "width" f64) (field "height" f64)))
  (type $shape (variant (case "circle" f64) (case "rect" $size) (case "point")))
  (type $div-error (enum "divide-by-zero" "overflow"))
  (type $permissions (flags "read" "write" "admin"))
  (type $user (record (field "name" string) (field "age" u8) (field "perms" $permissions)))
  (func $area (param "s" $shape) (result f64)
    (canon lift (core func $main "area")))
  (func $checked-div (param "a" s32) (param "b" s32) (result (result s32 (error $div-error)))
    (canon lift (core func $main "checked-div") (memory $mem)))
  (func $unchecked-div (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $main "unchecked-div")))
  (func $find-user (param "id" u32) (result (option $user))
    (canon lift (core func $main "find-user") (memory $mem) string-encoding=utf8))
  (func $grant (param "have" $permissions) (param "add" $permissions) (result $permissions)
    (canon lift (core func $main "grant")))
  (func $min-max (param "values" (list s32)) (result (option (tuple s32 s32)))
    (canon lift (core func $main "min-max") (memory $mem) (realloc $realloc) (post-return $free-all)))
  (func $split-words (param "text" string) (result (list string))
    (canon lift (core func $main "split-words") (memory $mem) (realloc $realloc) string-encoding=utf8 (post-return $free-all)))
  (func $fib (param "n" u8) (result u64)
    (canon lift (core func $main "fib")))

  ;; They are exported as the interface `demo:values/showcase`, in the shape wit-component
  ;; gives an exported interface: an exported function may only use named types that the
  ;; export itself names, so a small component takes the functions (and the types they
  ;; use) as imports, and exports the types and the functions again, each function typed
  ;; with the types it exports.
  (component $Showcase
    (type $size-def (record (field "width" f64) (field "height" f64)))
    (import "import-type-size" (type $size (eq $size-def)))
    (type $shape-def (variant (case "circle" f64) (case "rect" $size) (case "point")))
    (import "import-type-shape" (type $shape (eq $shape-def)))
    (type $div-error-def (enum "divide-by-zero" "overflow"))
    (import "import-type-div-error" (type $div-error (eq $div-error-def)))
    (type $permissions-def (flags "read" "write" "admin"))
    (import "import-type-permissions" (type $permissions (eq $permissions-def)))
    (type $user-def (record (field "name" string) (field "age" u8) (field "perms" $permissions)))
    (import "import-type-user" (type $user (eq $user-def)))
    (import "import-func-area" (func $area (param "s" $shape) (result f64)))
    (import "import-func-checked-div" (func $checked-div (param "a" s32) (param "b" s32) (result (result s32 (error $div-error)))))
    (import "import-func-unchecked-div" (func $unchecked-div (param "a" u32) (param "b" u32) (result u32)))
    (import "import-func-find-user" (func $find-user (param "id" u32) (result (option $user))))
    (import "import-func-grant" (func $grant (param "have" $permissions) (param "add" $permissions) (result $permissions)))
    (import "import-func-min-max" (func $min-max (param "values" (list s32)) (result (option (tuple s32 s32)))))
    (import "import-func-split-words" (func $split-words (param "text" string) (result (list string))))
    (import "import-func-fib" (func $fib (param "n" u8) (result u64)))

    (type $size-def' (record (field "width" f64) (field "height" f64)))
    (export $size' "size" (type $size-def'))
    (type $shape-def' (variant (case "circle" f64) (case "rect" $size') (case "point")))
    (export $shape' "shape" (type $shape-def'))
    (type $div-error-def' (enum "divide-by-zero" "overflow"))
    (export $div-error' "div-error" (type $div-error-def'))
    (type $permissions-def' (flags "read" "write" "admin"))
    (export $permissions' "permissions" (type $permissions-def'))
    (type $user-def' (record (field "name" string) (field "age" u8) (field "perms" $permissions')))
    (export $user' "user" (type $user-def'))
    (export "area" (func $area) (func (param "s" $shape') (result f64)))
    (export "checked-div" (func $checked-div) (func (param "a" s32) (param "b" s32) (result (result s32 (error $div-error')))))
    (export "unchecked-div" (func $unchecked-div))
    (export "find-user" (func $find-user) (func (param "id" u32) (result (option $user'))))
    (export "grant" (func $grant) (func (param "have" $permissions') (param "add" $permissions') (result $permissions')))
    (export "min-max" (func $min-max))
    (export "split-words" (func $split-words))
    (export "fib" (func $fib)))
  (instance $showcase (instantiate $Showcase
    (with "import-type-size" (type $size))
    (with "import-type-shape" (type $shape))
    (with "import-type-div-error" (type $div-error))
    (with "import-type-permissions" (type $permissions))
    (with "import-type-user" (type $user))
    (with "import-func-area" (func $area))
    (with "import-func-checked-div" (func $checked-div))
    (with "import-func-unchecked-div" (func $unchecked-div))
    (with "import-func-find-user" (func $find-user))
    (with "import-func-grant" (func $grant))
    (with "import-func-min-max" (func $min-max))
    (with "import-func-split-words" (func $split-words))
    (with "import-func-fib" (func $fib))))
  (export "demo:values/showcase" (instance $showcase))
)
