/**
 * Which int32 tensors stand for int8 values. tsgrad has no int8 dtype: a quantized layer keeps its
 * int8 weight in an int32 buffer, and an I8 tensor of a safetensors file loads as int32. To write
 * such a tensor back as I8 — a quarter of the bytes, and the dtype PyTorch and other readers
 * expect — the quantized layers and the loader mark it, and `saveSafetensors` writes marked
 * tensors as I8. The mark belongs to the storage (held in a WeakSet, so it keeps nothing alive),
 * so the views a state dict hands out (`detach()`) carry it too.
 */
import type { TypedArray } from '../kernels/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

const int8Storages = new WeakSet<TypedArray>();

/** Marks `t` (an int32 tensor whose values lie in [−128, 127]) as standing for int8 values; returns it. */
export function markInt8(t: Tensor): Tensor {
  int8Storages.add(t.storage);
  return t;
}

/** True when `t`'s storage was marked by `markInt8` (a quantized weight, or loaded from I8). */
export function isMarkedInt8(t: Tensor): boolean {
  return int8Storages.has(t.storage);
}
