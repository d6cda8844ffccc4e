/**
 * Which int32 tensors stand for PyTorch int64 values. tsgrad has no int64 dtype: an I64 tensor of
 * a safetensors file loads as int32 (when every value fits). To write it back as I64 — so a file
 * round-trips with PyTorch's dtypes — the loader marks such tensors, and so does
 * `Module.stateDict()` for buffers PyTorch keeps as int64 (BatchNorm's `num_batches_tracked`, or
 * a buffer that was loaded from I64). `saveSafetensors` writes marked tensors as I64 by default.
 * A mark is a property of one tensor object, held in a WeakSet so it never keeps a tensor alive.
 */
import type { Tensor } from '../tensor/tensor.js';

const int64Tensors = new WeakSet<Tensor>();

/** Marks `t` (an int32 tensor) as standing for int64 values; returns it. */
export function markInt64(t: Tensor): Tensor {
  int64Tensors.add(t);
  return t;
}

/** True when `t` was marked by `markInt64` (loaded from I64, or a state-dict entry of an int64 buffer). */
export function isMarkedInt64(t: Tensor): boolean {
  return int64Tensors.has(t);
}
