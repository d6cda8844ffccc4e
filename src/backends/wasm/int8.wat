;; The int8 matrix product of quantized layers on WebAssembly SIMD (see ./int8-wasm.ts,
;; which copies blocks of the operands into this module's memory, widened to int16, and calls
;; `gemm_i16` on each; kernels/int8-matmul.ts is the plain reference).
;;
;;   out[i, j] = Σ_p a[i, p] · b[j, p]      (a: rows × k, b: cols × k, out: rows × cols)
;;
;; Operands arrive as int16 rows of k elements (k a multiple of 8, zero-padded) and b has a
;; multiple of 4 rows (zero rows pad it). One step loads eight int16 of a row of a and of four
;; rows of b, and `i32x4.dot_i16x8_s` multiplies lane pairs and adds each pair into an int32 lane:
;; four int32x4 accumulators, one per row of b, reusing the load of a. The four accumulators are
;; summed across lanes by a transpose (two shuffle-and-add rounds), giving out[i, j … j+3] in one
;; store. Every add is an int32 add, modulo 2³², so the order of the sums does not change the
;; result: it equals the reference's bit for bit.
(module
  ;; The memory comes from JS at its final size and never grows (simd.ts says why).
  (import "env" "memory" (memory 1))

  (func (export "gemm_i16")
    (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $cols i32) (param $k i32)
    (local $rowBytes i32) (local $aEnd i32) (local $bEnd i32) (local $p i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $va v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $s01 v128) (local $s23 v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 1)))
    (local.set $aEnd (i32.add (local.get $a) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (local.set $bEnd (i32.add (local.get $b) (i32.mul (local.get $cols) (local.get $rowBytes))))
    (block $rowsDone (loop $row
      (br_if $rowsDone (i32.ge_u (local.get $a) (local.get $aEnd)))
      (local.set $b0 (local.get $b))
      (block $colsDone (loop $col
        (br_if $colsDone (i32.ge_u (local.get $b0) (local.get $bEnd)))
        (local.set $b1 (i32.add (local.get $b0) (local.get $rowBytes)))
        (local.set $b2 (i32.add (local.get $b1) (local.get $rowBytes)))
        (local.set $b3 (i32.add (local.get $b2) (local.get $rowBytes)))
        (local.set $acc0 (v128.const i32x4 0 0 0 0))
        (local.set $acc1 (v128.const i32x4 0 0 0 0))
        (local.set $acc2 (v128.const i32x4 0 0 0 0))
        (local.set $acc3 (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.const 0))
        (block $kDone (loop $step
          (br_if $kDone (i32.ge_u (local.get $p) (local.get $rowBytes)))
          (local.set $va (v128.load (i32.add (local.get $a) (local.get $p))))
          (local.set $acc0 (i32x4.add (local.get $acc0)
            (i32x4.dot_i16x8_s (local.get $va) (v128.load (i32.add (local.get $b0) (local.get $p))))))
          (local.set $acc1 (i32x4.add (local.get $acc1)
            (i32x4.dot_i16x8_s (local.get $va) (v128.load (i32.add (local.get $b1) (local.get $p))))))
          (local.set $acc2 (i32x4.add (local.get $acc2)
            (i32x4.dot_i16x8_s (local.get $va) (v128.load (i32.add (local.get $b2) (local.get $p))))))
          (local.set $acc3 (i32x4.add (local.get $acc3)
            (i32x4.dot_i16x8_s (local.get $va) (v128.load (i32.add (local.get $b3) (local.get $p))))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $step)))
        ;; Lanes: acc0 = [a0 a1 a2 a3], acc1 = [b0 …], acc2 = [c0 …], acc3 = [d0 …].
        ;; s01 = [a0+a2, b0+b2, a1+a3, b1+b3], s23 likewise for c and d; then the low halves of
        ;; s01 and s23 plus their high halves give [Σa, Σb, Σc, Σd].
        (local.set $s01 (i32x4.add
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $acc0) (local.get $acc1))
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $acc0) (local.get $acc1))))
        (local.set $s23 (i32x4.add
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $acc2) (local.get $acc3))
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $acc2) (local.get $acc3))))
        (v128.store (local.get $out) (i32x4.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s01) (local.get $s23))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s01) (local.get $s23))))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $b0 (i32.add (local.get $b3) (local.get $rowBytes)))
        (br $col)))
      (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
      (br $row)))))
