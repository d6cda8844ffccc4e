;; The float32 sum on WebAssembly SIMD (see ./reduce-wasm.ts, which copies chunks of the input
;; into this module's memory and calls `sum8` on each).
;;
;; Eight running sums in float64, s_k = Σ_j a[8j + k] for k = 0…7, held as four f64x2 lanes
;; (s0 s1 | s2 s3 | s4 s5 | s6 s7). Each step loads eight floats as two f32x4 and widens each half
;; to f64x2 (the high half is first moved down by a shuffle), so every float32 is added exactly
;; in double, in the same order as the JS kernel's eight sums (reduce.ts): both give the same
;; bits. Four independent add chains keep the adder busy, where one chain would wait on each
;; add's latency.
(module
  ;; The memory comes from JS at its final size and never grows (simd.ts says why).
  (import "env" "memory" (memory 1))

  ;; Adds a[0 … n) (byte address a, n a multiple of 8) into the eight sums stored as four v128
  ;; at byte address acc.
  (func (export "sum8") (param $a i32) (param $n i32) (param $acc i32)
    (local $end i32) (local $v0 v128) (local $v1 v128)
    (local $s01 v128) (local $s23 v128) (local $s45 v128) (local $s67 v128)
    (local.set $s01 (v128.load offset=0 (local.get $acc)))
    (local.set $s23 (v128.load offset=16 (local.get $acc)))
    (local.set $s45 (v128.load offset=32 (local.get $acc)))
    (local.set $s67 (v128.load offset=48 (local.get $acc)))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $step
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $v0 (v128.load offset=0 (local.get $a)))
      (local.set $v1 (v128.load offset=16 (local.get $a)))
      (local.set $s01 (f64x2.add (local.get $s01) (f64x2.promote_low_f32x4 (local.get $v0))))
      (local.set $s23 (f64x2.add (local.get $s23) (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v0) (local.get $v0)))))
      (local.set $s45 (f64x2.add (local.get $s45) (f64x2.promote_low_f32x4 (local.get $v1))))
      (local.set $s67 (f64x2.add (local.get $s67) (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v1) (local.get $v1)))))
      (local.set $a (i32.add (local.get $a) (i32.const 32)))
      (br $step)))
    (v128.store offset=0 (local.get $acc) (local.get $s01))
    (v128.store offset=16 (local.get $acc) (local.get $s23))
    (v128.store offset=32 (local.get $acc) (local.get $s45))
    (v128.store offset=48 (local.get $acc) (local.get $s67))))
