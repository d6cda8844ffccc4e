;; The int8 matrix product of quantized layers on WebAssembly SIMD (see ./int8-wasm.ts,
;; which copies blocks of the operands into this module's memory, widened to int16, and calls
;; `gemm_i16` on each; kernels/int8-matmul.ts is the plain reference).
;;
;;   out[i, j] = Σ_p a[i, p] · b[j, p]      (a: rows × k, b: cols × k, out: rows × cols)
;;
;; Operands arrive as int16 rows of k elements (k a multiple of 8, zero-padded); a has an even
;; number of rows and b a multiple of 4 (zero rows pad them). One step loads eight int16 of two
;; rows of a and of four rows of b, and `i32x4.dot_i16x8_s` multiplies lane pairs and adds each
;; pair into an int32 lane: eight int32x4 accumulators, one per (row of a, row of b), so each load
;; serves four or two products. Each row's four accumulators are summed across lanes by a
;; transpose (two shuffle-and-add rounds), giving out[i, j … j+3] in one store. Every add is an
;; int32 add, modulo 2³², so the order of the sums does not change the result: it equals the
;; reference's bit for bit.
(module
  ;; The memory comes from JS at its final size and never grows (simd.ts says why).
  (import "env" "memory" (memory 1))

  ;; [Σa, Σb, Σc, Σd] of four int32x4: s01 = [a0+a2, b0+b2, a1+a3, b1+b3], s23 likewise for c
  ;; and d; then the low halves of s01 and s23 plus their high halves.
  (func $sum4 (param $a v128) (param $b v128) (param $c v128) (param $d v128) (result v128)
    (local $s01 v128) (local $s23 v128)
    (local.set $s01 (i32x4.add
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b))
      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b))))
    (local.set $s23 (i32x4.add
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d))
      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d))))
    (i32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s01) (local.get $s23))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s01) (local.get $s23))))

  (func (export "gemm_i16")
    (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $cols i32) (param $k i32)
    (local $rowBytes i32) (local $outRowBytes i32) (local $aEnd i32) (local $bEnd i32) (local $p i32)
    (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $o i32)
    (local $va0 v128) (local $va1 v128) (local $vb v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 1)))
    (local.set $outRowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $aEnd (i32.add (local.get $a) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (local.set $bEnd (i32.add (local.get $b) (i32.mul (local.get $cols) (local.get $rowBytes))))
    (block $rowsDone (loop $rowPair
      (br_if $rowsDone (i32.ge_u (local.get $a) (local.get $aEnd)))
      (local.set $a1 (i32.add (local.get $a) (local.get $rowBytes)))
      (local.set $b0 (local.get $b))
      (local.set $o (local.get $out))
      (block $colsDone (loop $col
        (br_if $colsDone (i32.ge_u (local.get $b0) (local.get $bEnd)))
        (local.set $b1 (i32.add (local.get $b0) (local.get $rowBytes)))
        (local.set $b2 (i32.add (local.get $b1) (local.get $rowBytes)))
        (local.set $b3 (i32.add (local.get $b2) (local.get $rowBytes)))
        (local.set $c00 (v128.const i32x4 0 0 0 0))
        (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c02 (v128.const i32x4 0 0 0 0))
        (local.set $c03 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0))
        (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c12 (v128.const i32x4 0 0 0 0))
        (local.set $c13 (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.const 0))
        (block $kDone (loop $step
          (br_if $kDone (i32.ge_u (local.get $p) (local.get $rowBytes)))
          (local.set $va0 (v128.load (i32.add (local.get $a) (local.get $p))))
          (local.set $va1 (v128.load (i32.add (local.get $a1) (local.get $p))))
          (local.set $vb (v128.load (i32.add (local.get $b0) (local.get $p))))
          (local.set $c00 (i32x4.add (local.get $c00) (i32x4.dot_i16x8_s (local.get $va0) (local.get $vb))))
          (local.set $c10 (i32x4.add (local.get $c10) (i32x4.dot_i16x8_s (local.get $va1) (local.get $vb))))
          (local.set $vb (v128.load (i32.add (local.get $b1) (local.get $p))))
          (local.set $c01 (i32x4.add (local.get $c01) (i32x4.dot_i16x8_s (local.get $va0) (local.get $vb))))
          (local.set $c11 (i32x4.add (local.get $c11) (i32x4.dot_i16x8_s (local.get $va1) (local.get $vb))))
          (local.set $vb (v128.load (i32.add (local.get $b2) (local.get $p))))
          (local.set $c02 (i32x4.add (local.get $c02) (i32x4.dot_i16x8_s (local.get $va0) (local.get $vb))))
          (local.set $c12 (i32x4.add (local.get $c12) (i32x4.dot_i16x8_s (local.get $va1) (local.get $vb))))
          (local.set $vb (v128.load (i32.add (local.get $b3) (local.get $p))))
          (local.set $c03 (i32x4.add (local.get $c03) (i32x4.dot_i16x8_s (local.get $va0) (local.get $vb))))
          (local.set $c13 (i32x4.add (local.get $c13) (i32x4.dot_i16x8_s (local.get $va1) (local.get $vb))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $step)))
        (v128.store (local.get $o) (call $sum4 (local.get $c00) (local.get $c01) (local.get $c02) (local.get $c03)))
        (v128.store (i32.add (local.get $o) (local.get $outRowBytes))
          (call $sum4 (local.get $c10) (local.get $c11) (local.get $c12) (local.get $c13)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (local.set $b0 (i32.add (local.get $b3) (local.get $rowBytes)))
        (br $col)))
      (local.set $a (i32.add (local.get $a1) (local.get $rowBytes)))
      (local.set $out (i32.add (local.get $out) (i32.shl (local.get $outRowBytes) (i32.const 1))))
      (br $rowPair)))))
