;; The float32 block product of the packed matrix multiply (see ../gemm.ts and ./gemm-wasm.ts).
;;
;;   C[i, j] = Σ_p A[i, p] · B[p, j]        i < mc, j < nc, p < kc
;;
;; JS copies ("packs") a block of A and a block of B into this module's memory in the order
;; this loop reads them, and copies the C block out afterwards:
;;
;;   A block: mc rows cut into panels of MR = 4 rows; panel t holds rows 4t … 4t+3 as kc groups
;;            of 4 floats, step p first: A[4t + r, p] sits at  a + 16·(t·kc + p) + 4·r  (bytes).
;;   B block: nc columns cut into panels of NR = 8 columns; panel u holds columns 8u … 8u+7 as
;;            kc groups of 8 floats: B[p, 8u + q] sits at  b + 32·(u·kc + p) + 4·q.
;;   C block: row-major, rows of ldc = 8·⌈nc/8⌉ floats: C[i, j] sits at  c + 4·(i·ldc + j).
;;
;; Rows and columns past mc and nc are zero in the packed panels, so every tile is a full 4×8
;; tile; C's padding rows and columns receive zeros and JS ignores them.
;;
;; The micro-kernel keeps one 4×8 tile of C in eight f32x4 registers (row r, columns 0–3 and
;; 4–7). At each step p it loads the 8 B numbers of that step as two vectors b0, b1, and for
;; each row r broadcasts ("splats") A[r, p] into all four lanes:
;;
;;   c_r0 += splat(A[r, p]) · b0        c_r1 += splat(A[r, p]) · b1
;;
;; that is 16 vector multiply-adds (64 flops) for 6 loads: 8 accumulators + 2 B vectors + one
;; splatted A vector fit in x86-64's 16 vector registers. Baseline SIMD has no fused
;; multiply-add, so each is an f32x4.mul followed by an f32x4.add; the eight accumulators are
;; independent chains, enough to hide the latency of the adds.
;;
;; Loop order inside the block (Goto's): B panels outside, A panels inside, so one B panel
;; (kc·32 bytes, 8 KiB at kc = 256) stays in the L1 cache while it meets every A panel, and
;; the whole A block stays in L2.
;;
;; packB8 builds the B block from a row-major copy of it ("staged" by JS with one block copy per
;; row, rows of ldc floats, padding columns zero): two f32x4 moves per step of a panel. packB8T
;; builds it from a column-major copy (one block copy per column): eight scalar moves per step.
;; packA4 builds the A block from a row-major copy the same way.
;;
;; The module also holds the LSTM cell's gate math and its gradient (lstmCell, lstmCellGrad, at
;; the end), which use the staging region as scratch: f32x4 loops with a float32 exp.
(module
  ;; The memory comes from JS at its final size and never grows (simd.ts says why).
  (import "env" "memory" (memory 1))

  ;; C block (at c) = A block (at a) · B block (at b); mc, nc, kc ≥ 1 (kc = 0 never reaches here).
  (func (export "gemmBlock")
    (param $a i32) (param $b i32) (param $c i32) (param $mc i32) (param $nc i32) (param $kc i32)
    (local $ldc i32)     ;; bytes per C row: 4 · 8·⌈nc/8⌉
    (local $bPanel i32)  ;; start of the current B panel
    (local $bEnd i32)    ;; end of the B block
    (local $cCol i32)    ;; C address of row 0 of the current column strip
    (local $aPanel i32)  ;; start of the current A panel
    (local $aEnd i32)    ;; end of the A block
    (local $cTile i32)   ;; C address of the current tile's top-left corner
    (local $ap i32)      ;; A address at step p
    (local $apEnd i32)   ;; end of the current A panel
    (local $bp i32)      ;; B address at step p
    (local $aStride i32) ;; bytes per A panel: 16·kc
    (local $bStride i32) ;; bytes per B panel: 32·kc
    (local $b0 v128) (local $b1 v128) (local $av v128)
    (local $c00 v128) (local $c01 v128)
    (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128)
    (local $c30 v128) (local $c31 v128)

    (local.set $aStride (i32.shl (local.get $kc) (i32.const 4)))
    (local.set $bStride (i32.shl (local.get $kc) (i32.const 5)))
    ;; ldc = 8·⌈nc/8⌉ floats = ((nc + 7) & ~7) · 4 bytes
    (local.set $ldc (i32.shl (i32.and (i32.add (local.get $nc) (i32.const 7)) (i32.const -8)) (i32.const 2)))
    ;; ⌈nc/8⌉ B panels and ⌈mc/4⌉ A panels
    (local.set $bEnd (i32.add (local.get $b)
      (i32.mul (i32.shr_u (i32.add (local.get $nc) (i32.const 7)) (i32.const 3)) (local.get $bStride))))
    (local.set $aEnd (i32.add (local.get $a)
      (i32.mul (i32.shr_u (i32.add (local.get $mc) (i32.const 3)) (i32.const 2)) (local.get $aStride))))

    (local.set $bPanel (local.get $b))
    (local.set $cCol (local.get $c))
    (loop $columnStrips
      (local.set $aPanel (local.get $a))
      (local.set $cTile (local.get $cCol))
      (loop $rowStrips
        ;; One 4×8 tile: C[4t … 4t+3, 8u … 8u+7] = Σ_p A panel t (step p) ⊗ B panel u (step p).
        (local.set $c00 (v128.const f32x4 0 0 0 0)) (local.set $c01 (v128.const f32x4 0 0 0 0))
        (local.set $c10 (v128.const f32x4 0 0 0 0)) (local.set $c11 (v128.const f32x4 0 0 0 0))
        (local.set $c20 (v128.const f32x4 0 0 0 0)) (local.set $c21 (v128.const f32x4 0 0 0 0))
        (local.set $c30 (v128.const f32x4 0 0 0 0)) (local.set $c31 (v128.const f32x4 0 0 0 0))
        (local.set $ap (local.get $aPanel))
        (local.set $apEnd (i32.add (local.get $aPanel) (local.get $aStride)))
        (local.set $bp (local.get $bPanel))
        (loop $steps
          ;; b0 = B[p, 0…3], b1 = B[p, 4…7]
          (local.set $b0 (v128.load (local.get $bp)))
          (local.set $b1 (v128.load offset=16 (local.get $bp)))
          ;; row 0: c0· += A[0, p] · b
          (local.set $av (v128.load32_splat (local.get $ap)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
          ;; row 1
          (local.set $av (v128.load32_splat offset=4 (local.get $ap)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
          ;; row 2
          (local.set $av (v128.load32_splat offset=8 (local.get $ap)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
          ;; row 3
          (local.set $av (v128.load32_splat offset=12 (local.get $ap)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
          ;; next step: 4 A floats and 8 B floats further
          (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
          (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
          (br_if $steps (i32.ne (local.get $ap) (local.get $apEnd))))
        ;; Write the tile: row r at cTile + r·ldc, columns 0–3 then 4–7.
        (v128.store (local.get $cTile) (local.get $c00))
        (v128.store offset=16 (local.get $cTile) (local.get $c01))
        (local.set $cTile (i32.add (local.get $cTile) (local.get $ldc)))
        (v128.store (local.get $cTile) (local.get $c10))
        (v128.store offset=16 (local.get $cTile) (local.get $c11))
        (local.set $cTile (i32.add (local.get $cTile) (local.get $ldc)))
        (v128.store (local.get $cTile) (local.get $c20))
        (v128.store offset=16 (local.get $cTile) (local.get $c21))
        (local.set $cTile (i32.add (local.get $cTile) (local.get $ldc)))
        (v128.store (local.get $cTile) (local.get $c30))
        (v128.store offset=16 (local.get $cTile) (local.get $c31))
        (local.set $cTile (i32.add (local.get $cTile) (local.get $ldc)))
        ;; next A panel (the next 4 rows); the tile pointer has already moved down 4 rows
        (local.set $aPanel (local.get $apEnd))
        (br_if $rowStrips (i32.ne (local.get $aPanel) (local.get $aEnd))))
      ;; next B panel (the next 8 columns), 32 bytes to the right in C
      (local.set $bPanel (i32.add (local.get $bPanel) (local.get $bStride)))
      (local.set $cCol (i32.add (local.get $cCol) (i32.const 32)))
      (br_if $columnStrips (i32.ne (local.get $bPanel) (local.get $bEnd)))))

  ;; Packed B panels (at dst, layout above) from the staged row-major block at src whose rows
  ;; are ldc = 8·⌈nc/8⌉ floats: panel u, step p = the 8 floats at src + 4·(p·ldc + 8u).
  (func (export "packB8")
    (param $src i32) (param $dst i32) (param $nc i32) (param $kc i32)
    (local $rowBytes i32)  ;; bytes per staged row: 4 · ldc
    (local $column i32)    ;; address of step 0 of the current panel in the staged block
    (local $columnEnd i32) ;; end of the staged block's first row
    (local $from i32)      ;; staged address at step p
    (local $to i32)        ;; packed address at step p
    (local $toEnd i32)     ;; end of the current packed panel
    (local.set $rowBytes (i32.shl (i32.and (i32.add (local.get $nc) (i32.const 7)) (i32.const -8)) (i32.const 2)))
    (local.set $column (local.get $src))
    (local.set $columnEnd (i32.add (local.get $src) (local.get $rowBytes)))
    (local.set $to (local.get $dst))
    (loop $panels
      (local.set $from (local.get $column))
      (local.set $toEnd (i32.add (local.get $to) (i32.shl (local.get $kc) (i32.const 5))))
      (loop $steps
        (v128.store (local.get $to) (v128.load (local.get $from)))
        (v128.store offset=16 (local.get $to) (v128.load offset=16 (local.get $from)))
        (local.set $from (i32.add (local.get $from) (local.get $rowBytes)))
        (local.set $to (i32.add (local.get $to) (i32.const 32)))
        (br_if $steps (i32.ne (local.get $to) (local.get $toEnd))))
      (local.set $column (i32.add (local.get $column) (i32.const 32)))
      (br_if $panels (i32.ne (local.get $column) (local.get $columnEnd)))))

  ;; Packed B panels (at dst, layout above) from a staged transposed block at src: column j of
  ;; B as kc consecutive floats at src + 4·kc·j (columns up to 8·panels, padding ones zero).
  ;; Panel u, step p, lane q = the float at src + 4·(kc·(8u + q) + p): eight loads from eight
  ;; columns, one 32-byte group out.
  (func (export "packB8T")
    (param $src i32) (param $dst i32) (param $kc i32) (param $panels i32)
    (local $stride i32)    ;; bytes between two staged columns: 4·kc
    (local $column i32)    ;; address of column 8u at step p
    (local $columnEnd i32) ;; end of column 8u
    (local $at i32)        ;; address of column 8u + q at step p
    (local $to i32)        ;; packed address at step p
    (local $panel i32)     ;; u
    (local.set $stride (i32.shl (local.get $kc) (i32.const 2)))
    (local.set $to (local.get $dst))
    (loop $panels
      (local.set $column (i32.add (local.get $src)
        (i32.mul (local.get $panel) (i32.shl (local.get $stride) (i32.const 3)))))
      (local.set $columnEnd (i32.add (local.get $column) (local.get $stride)))
      (loop $steps
        (local.set $at (local.get $column))
        (f32.store (local.get $to) (f32.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (f32.store offset=4 (local.get $to) (f32.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (f32.store offset=8 (local.get $to) (f32.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (f32.store offset=12 (local.get $to) (f32.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (f32.store offset=16 (local.get $to) (f32.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (f32.store offset=20 (local.get $to) (f32.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (f32.store offset=24 (local.get $to) (f32.load (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (f32.store offset=28 (local.get $to) (f32.load (local.get $at)))
        (local.set $to (i32.add (local.get $to) (i32.const 32)))
        (local.set $column (i32.add (local.get $column) (i32.const 4)))
        (br_if $steps (i32.ne (local.get $column) (local.get $columnEnd))))
      (local.set $panel (i32.add (local.get $panel) (i32.const 1)))
      (br_if $panels (i32.ne (local.get $panel) (local.get $panels)))))

  ;; packA4 builds the A block from a row-major copy of it (rows of kc floats, rows past mc zero,
  ;; staged by JS with one block copy): panel t, step p gets the four floats of rows 4t … 4t+3 at
  ;; depth p, one f32x4 store per step.
  (func (export "packA4") (param $src i32) (param $dst i32) (param $panels i32) (param $kc i32)
    (local $t i32) (local $p i32) (local $kb i32) (local $s i32)
    (local.set $kb (i32.shl (local.get $kc) (i32.const 2)))
    (block $done
      (loop $panel
        (br_if $done (i32.ge_u (local.get $t) (local.get $panels)))
        (local.set $s (i32.add (local.get $src) (i32.mul (local.get $t) (i32.shl (local.get $kb) (i32.const 2)))))
        (local.set $p (i32.const 0))
        (block $rowDone
          (loop $step
            (br_if $rowDone (i32.ge_u (local.get $p) (local.get $kb)))
            (v128.store (local.get $dst)
              (f32x4.replace_lane 3
                (f32x4.replace_lane 2
                  (f32x4.replace_lane 1
                    (f32x4.splat (f32.load (i32.add (local.get $s) (local.get $p))))
                    (f32.load (i32.add (i32.add (local.get $s) (local.get $kb)) (local.get $p))))
                  (f32.load (i32.add (i32.add (local.get $s) (i32.shl (local.get $kb) (i32.const 1))) (local.get $p))))
                (f32.load (i32.add (i32.add (local.get $s) (i32.mul (local.get $kb) (i32.const 3))) (local.get $p)))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $step)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $panel))))

  ;; ---- The LSTM cell (lstmCellForward in ../../kernels/recurrent-lstm.ts; ./lstm-cell-wasm.ts
  ;; copies its operands into this module's staging region and calls it) ----

  ;; eˣ in four lanes to float32 accuracy: x clamped to [−87.3, 88] (beyond, float32 holds
  ;; about 0 or ∞), k = nearest(x·log₂e), r = x − k·ln 2 (ln 2 in two parts, so r is exact
  ;; to float32) ∈ [−ln2/2, ln2/2], eʳ by its Taylor polynomial to degree 7 (remainder below
  ;; 1e-8 relative), times 2ᵏ written into the exponent bits. NaN stays NaN.
  (func $exp (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.max (f32x4.min (local.get $x) (v128.const f32x4 88 88 88 88))
      (v128.const f32x4 -87.3 -87.3 -87.3 -87.3)))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
      (f32x4.mul (local.get $k) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    ;; Horner from the top: 1/720 + r/5040, then 1/120, 1/24, 1/6, 1/2, 1, 1.
    (local.set $p (f32x4.add (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)
      (f32x4.mul (local.get $r) (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4))))
    (local.set $p (f32x4.add (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1.66666667e-1 1.66666667e-1 1.66666667e-1 1.66666667e-1) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 0.5 0.5 0.5 0.5) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $r) (local.get $p))))
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  ;; σ(x) = 1 / (1 + e⁻ˣ) in four lanes.
  (func $sigmoid (param $x v128) (result v128)
    (f32x4.div (v128.const f32x4 1 1 1 1)
      (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp (f32x4.neg (local.get $x))))))

  ;; tanh x = 2σ(2x) − 1 in four lanes (absolute error about 1e-7).
  (func $tanh (param $x v128) (result v128)
    (f32x4.sub (f32x4.mul (v128.const f32x4 2 2 2 2) (call $sigmoid (f32x4.add (local.get $x) (local.get $x))))
      (v128.const f32x4 1 1 1 1)))

  ;; One LSTM step's gate math for `rows` rows of h floats each (h a multiple of 4). Row r of
  ;; the pre-activations is the 4h floats at x and at a (gate blocks i, f, g, o; their sum is
  ;; the gate input), of the cell state the h floats at c. Writes i, f, g, o over x, c_t over c
  ;; and m_t = o ⊙ tanh(c_t) at m:
  ;;   i, f, o = σ(·), g = tanh(·), c_t = f ⊙ c + i ⊙ g
  (func (export "lstmCell") (param $x i32) (param $a i32) (param $c i32) (param $m i32) (param $rows i32) (param $h i32)
    (local $hb i32) (local $r i32) (local $j i32) (local $p i32) (local $q i32)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $ct v128)
    (local.set $hb (i32.shl (local.get $h) (i32.const 2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $col
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $p (i32.add (local.get $x) (local.get $j)))
            (local.set $q (i32.add (local.get $a) (local.get $j)))
            (local.set $i (call $sigmoid (f32x4.add (v128.load (local.get $p)) (v128.load (local.get $q)))))
            (local.set $f (call $sigmoid (f32x4.add
              (v128.load (i32.add (local.get $p) (local.get $hb))) (v128.load (i32.add (local.get $q) (local.get $hb))))))
            (local.set $g (call $tanh (f32x4.add
              (v128.load (i32.add (local.get $p) (i32.shl (local.get $hb) (i32.const 1))))
              (v128.load (i32.add (local.get $q) (i32.shl (local.get $hb) (i32.const 1)))))))
            (local.set $o (call $sigmoid (f32x4.add
              (v128.load (i32.add (local.get $p) (i32.mul (local.get $hb) (i32.const 3))))
              (v128.load (i32.add (local.get $q) (i32.mul (local.get $hb) (i32.const 3)))))))
            (local.set $ct (f32x4.add
              (f32x4.mul (local.get $f) (v128.load (i32.add (local.get $c) (local.get $j))))
              (f32x4.mul (local.get $i) (local.get $g))))
            (v128.store (i32.add (local.get $c) (local.get $j)) (local.get $ct))
            (v128.store (i32.add (local.get $m) (local.get $j)) (f32x4.mul (local.get $o) (call $tanh (local.get $ct))))
            (v128.store (local.get $p) (local.get $i))
            (v128.store (i32.add (local.get $p) (local.get $hb)) (local.get $f))
            (v128.store (i32.add (local.get $p) (i32.shl (local.get $hb) (i32.const 1))) (local.get $g))
            (v128.store (i32.add (local.get $p) (i32.mul (local.get $hb) (i32.const 3))) (local.get $o))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $col)))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $a (i32.add (local.get $a) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $c (i32.add (local.get $c) (local.get $hb)))
        (local.set $m (i32.add (local.get $m) (local.get $hb)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; One LSTM step's gate gradients for `rows` rows of h floats (h a multiple of 4): the loop of
  ;; lstmCellBackward in ../../kernels/recurrent-lstm.ts, for the plain LSTM. Per row: i, f, g, o
  ;; (4h floats) at gt, where ∂a_t is written over them; c_t, c_{t−1}, ∂L/∂c_t from the output,
  ;; ∂L/∂m_t from the output and carried from step t+1 at c, cp, dco, dmo, dm (h floats each); the
  ;; carried ∂L/∂c_t at dc, overwritten by ∂L/∂c_{t−1}. With τ = tanh c_t, dm_t = dmo + dm:
  ;;   dc_t = dco + dc + dm_t ⊙ o ⊙ (1 − τ²)
  ;;   ∂a_i = dc_t ⊙ g ⊙ i(1−i)   ∂a_f = dc_t ⊙ c_{t−1} ⊙ f(1−f)   ∂a_g = dc_t ⊙ i ⊙ (1−g²)
  ;;   ∂a_o = dm_t ⊙ τ ⊙ o(1−o)   dc ← dc_t ⊙ f
  (func (export "lstmCellGrad") (param $gt i32) (param $c i32) (param $cp i32) (param $dco i32) (param $dmo i32)
    (param $dm i32) (param $dc i32) (param $rows i32) (param $h i32)
    (local $hb i32) (local $e i32) (local $end i32) (local $p i32) (local $j i32)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $tc v128) (local $dmt v128) (local $dct v128)
    (local $one v128)
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $hb (i32.shl (local.get $h) (i32.const 2)))
    (local.set $end (i32.mul (local.get $rows) (local.get $hb)))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $e) (local.get $end)))
        ;; e = byte offset of element (n, j) in the h-wide arrays; its gate row starts at 4·n·hb
        (local.set $j (i32.rem_u (local.get $e) (local.get $hb)))
        (local.set $p (i32.add (local.get $gt)
          (i32.add (i32.shl (i32.sub (local.get $e) (local.get $j)) (i32.const 2)) (local.get $j))))
        (local.set $i (v128.load (local.get $p)))
        (local.set $f (v128.load (i32.add (local.get $p) (local.get $hb))))
        (local.set $g (v128.load (i32.add (local.get $p) (i32.shl (local.get $hb) (i32.const 1)))))
        (local.set $o (v128.load (i32.add (local.get $p) (i32.mul (local.get $hb) (i32.const 3)))))
        (local.set $tc (call $tanh (v128.load (i32.add (local.get $c) (local.get $e)))))
        (local.set $dmt (f32x4.add (v128.load (i32.add (local.get $dmo) (local.get $e))) (v128.load (i32.add (local.get $dm) (local.get $e)))))
        (local.set $dct (f32x4.add
          (f32x4.add (v128.load (i32.add (local.get $dco) (local.get $e))) (v128.load (i32.add (local.get $dc) (local.get $e))))
          (f32x4.mul (f32x4.mul (local.get $dmt) (local.get $o))
            (f32x4.sub (local.get $one) (f32x4.mul (local.get $tc) (local.get $tc))))))
        (v128.store (local.get $p)
          (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dct) (local.get $g)) (local.get $i)) (f32x4.sub (local.get $one) (local.get $i))))
        (v128.store (i32.add (local.get $p) (local.get $hb))
          (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dct) (v128.load (i32.add (local.get $cp) (local.get $e)))) (local.get $f))
            (f32x4.sub (local.get $one) (local.get $f))))
        (v128.store (i32.add (local.get $p) (i32.shl (local.get $hb) (i32.const 1)))
          (f32x4.mul (f32x4.mul (local.get $dct) (local.get $i)) (f32x4.sub (local.get $one) (f32x4.mul (local.get $g) (local.get $g)))))
        (v128.store (i32.add (local.get $p) (i32.mul (local.get $hb) (i32.const 3)))
          (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dmt) (local.get $tc)) (local.get $o)) (f32x4.sub (local.get $one) (local.get $o))))
        (v128.store (i32.add (local.get $dc) (local.get $e)) (f32x4.mul (local.get $dct) (local.get $f)))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (br $step))))
)
