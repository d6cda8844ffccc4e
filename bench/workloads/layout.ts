/**
 * Moving the same weights between tsgrad's layouts (PyTorch's: Linear [out, in], Conv2d
 * [out, in, kH, kW], activations NCHW) and tfjs's (dense [in, out], conv [kH, kW, in, out],
 * activations NHWC), so both libraries start a training step from identical numbers.
 */

/**
 * The row-major array of `data` (of `shape`) with its dims reordered: result dim k is source
 * dim `perm[k]`, as `permute(...perm).contiguous()` would give.
 */
export function permuted(data: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const nd = shape.length;
  const srcStrides = new Array<number>(nd);
  for (let k = nd - 1, s = 1; k >= 0; k--) {
    srcStrides[k] = s;
    s *= shape[k];
  }
  const outShape = perm.map((p) => shape[p]);
  const stepOf = perm.map((p) => srcStrides[p]);
  const out = new Float32Array(data.length);
  const index = new Array<number>(nd).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src];
    // Advance the output index like an odometer, moving `src` by the matching source strides.
    for (let k = nd - 1; k >= 0; k--) {
      index[k]++;
      src += stepOf[k];
      if (index[k] < outShape[k]) break;
      src -= index[k] * stepOf[k];
      index[k] = 0;
    }
  }
  return out;
}

/** `rows × cols` → `cols × rows`. */
export function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  return permuted(data, [rows, cols], [1, 0]);
}

/** Conv weights [out, in, kH, kW] (and any [o, c, h, w] block) → [kH, kW, in, out]. */
export function hwioFromOihw(data: Float32Array, shape: readonly [number, number, number, number]): Float32Array {
  return permuted(data, shape, [2, 3, 1, 0]);
}
