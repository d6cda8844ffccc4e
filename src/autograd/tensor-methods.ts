/**
 * Attaches the ops to Tensor as methods (`x.add(y)`, `x.sum(1)`, `x.T`, `x.backward()`). The
 * Tensor class lives in src/tensor/ and knows nothing of the ops; this module adds them to its
 * prototype and declares their types. It is listed in package.json's `sideEffects`, and so are the
 * entries that import it (src/index.ts, src/node/index.ts): bundlers keep all three.
 */
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../kernels/dtype.js';
import { backward } from './grad.js';
import type { Operand } from './functions/util.js';
import * as E from './ops/elementwise.js';
import * as I from './ops/indexing.js';
import * as P from './ops/inplace.js';
import * as R from './ops/reduce.js';
import * as S from './ops/shape.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    /** x + other elementwise, broadcasting (other may be a number). `x.add(1)`, `a.add(b)` */
    add(other: Operand): Tensor;
    /** x − other elementwise, broadcasting. `a.sub(b)` */
    sub(other: Operand): Tensor;
    /** x · other elementwise (not a matrix product: see `matmul`), broadcasting. `x.mul(2)` */
    mul(other: Operand): Tensor;
    /** x / other elementwise, broadcasting; true division (int inputs give float32). `x.div(x.sum())` */
    div(other: Operand): Tensor;
    /** x raised to `exponent` elementwise, broadcasting. `x.pow(2)` */
    pow(exponent: Operand): Tensor;
    /** The larger of x and other elementwise, broadcasting (NaN if either is NaN). `x.maximum(0)` */
    maximum(other: Operand): Tensor;
    /** The smaller of x and other elementwise, broadcasting (NaN if either is NaN). */
    minimum(other: Operand): Tensor;
    /** −x. */
    neg(): Tensor;
    /** |x| (gradient 0 at 0, as PyTorch). */
    abs(): Tensor;
    /** eˣ elementwise. */
    exp(): Tensor;
    /** Natural logarithm elementwise (−inf at 0, NaN below 0). */
    log(): Tensor;
    /** √x elementwise. */
    sqrt(): Tensor;
    /** 1/√x elementwise. */
    rsqrt(): Tensor;
    /** sin x elementwise. */
    sin(): Tensor;
    /** cos x elementwise. */
    cos(): Tensor;
    /** tanh x elementwise. */
    tanh(): Tensor;
    /** The logistic function 1/(1 + e^−x) elementwise, stable for large |x|. */
    sigmoid(): Tensor;
    /** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt elementwise. */
    erf(): Tensor;
    /** sign(x) ∈ {−1, 0, 1} elementwise (a step: its gradient is 0). */
    sign(): Tensor;
    /** max(x, 0) elementwise. */
    relu(): Tensor;
    /** x where x > 0, else slope·x (slope defaults to 0.01). `x.leakyRelu(0.2)` */
    leakyRelu(slope?: number): Tensor;
    /** x·Φ(x), Φ the standard normal CDF; `{ approximate: 'tanh' }` uses the tanh approximation. `x.gelu()` */
    gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor;
    /** x·σ(x) (SiLU, a.k.a. swish). */
    silu(): Tensor;
    /**
     * log(1 + e^(βx))/β, a smooth relu; linear (x itself) where βx > `threshold` (defaults β = 1, threshold =
     * 20).
     */
    softplus(opts?: { beta?: number; threshold?: number }): Tensor;
    /** x where x > 0, else α(eˣ − 1) (α defaults to 1). */
    elu(alpha?: number): Tensor;
    /**
     * Each element clamped into [min, max]; either bound may be null/undefined. `x.clamp(0, 1)`,
     * `x.clamp(null, 6)`
     */
    clamp(min?: number | null, max?: number | null): Tensor;
    /** `x.where(cond, y)` is `where(cond, x, y)`. */
    where(cond: Tensor, other: Operand): Tensor;
    /** x == other elementwise, broadcasting; a bool tensor. `labels.eq(preds)` */
    eq(other: Operand): Tensor;
    /** x != other elementwise, broadcasting; a bool tensor. */
    ne(other: Operand): Tensor;
    /** x < other elementwise, broadcasting; a bool tensor. */
    lt(other: Operand): Tensor;
    /** x <= other elementwise, broadcasting; a bool tensor. */
    le(other: Operand): Tensor;
    /** x > other elementwise, broadcasting; a bool tensor. `x.gt(0)` */
    gt(other: Operand): Tensor;
    /** x >= other elementwise, broadcasting; a bool tensor. */
    ge(other: Operand): Tensor;
    /** ¬x elementwise (nonzero counts as true); a bool tensor. */
    logicalNot(): Tensor;
    /** x ∧ other elementwise (nonzero counts as true), broadcasting; a bool tensor. */
    logicalAnd(other: Operand): Tensor;
    /** x ∨ other elementwise (nonzero counts as true), broadcasting; a bool tensor. */
    logicalOr(other: Operand): Tensor;

    /**
     * Σ over `dim` (one dim, several, or all when omitted); `keepdim` keeps reduced dims as size 1. `x.sum()`,
     * `x.sum(1, true)`
     */
    sum(dim?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * The mean over `dim` (all dims when omitted); int and bool inputs are averaged as float32.
     * `x.mean([0, 2])`
     */
    mean(dim?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * The variance over `dim` (all when omitted): Σ(x − x̄)²/(N − correction), correction 1 by default
     * (`{ unbiased: false }` or `{ correction: 0 }` divides by N). `x.var(0, { unbiased: false })`
     */
    var(dim?: R.Dims, opts?: R.VarOptions): Tensor;
    /** The standard deviation √var over `dim`, with the options of `var`. `x.std(1, { keepdim: true })` */
    std(dim?: R.Dims, opts?: R.VarOptions): Tensor;
    /** The largest element, as a 0-d tensor. `x.max().item()` */
    max(): Tensor;
    /**
     * The largest elements along `dim` and their int32 indices, as `{ values, indices }` (the first index on
     * ties). `const { values, indices } = x.max(1)`
     */
    max(dim: number, keepdim?: boolean): R.ValuesIndices;
    /** The smallest element, as a 0-d tensor. */
    min(): Tensor;
    /**
     * The smallest elements along `dim` and their int32 indices, as `{ values, indices }` (the first index on
     * ties).
     */
    min(dim: number, keepdim?: boolean): R.ValuesIndices;
    /**
     * The index (int32) of the largest element along `dim`, or in the flattened tensor when omitted; the first
     * on ties. `logits.argmax(1)`
     */
    argmax(dim?: number, keepdim?: boolean): Tensor;
    /**
     * The index (int32) of the smallest element along `dim`, or in the flattened tensor when omitted; the first
     * on ties.
     */
    argmin(dim?: number, keepdim?: boolean): Tensor;
    /** log Σ exp(x) over `dim`, computed stably (the max is subtracted first). */
    logsumexp(dim: number | readonly number[], keepdim?: boolean): Tensor;
    /**
     * eˣ / Σ eˣ along `dim` (the max is subtracted first, so large inputs stay finite). `logits.softmax(-1)`
     */
    softmax(dim: number): Tensor;
    /**
     * log(softmax(x)) along `dim`, computed as x − logsumexp(x) so no log of a probability rounded to 0.
     * `logits.logSoftmax(1)`
     */
    logSoftmax(dim: number): Tensor;

    /**
     * The same elements in a new shape, as an array or spread numbers; one dim may be −1 (inferred). A view
     * when the strides allow, else a copy. `x.reshape(2, -1)`
     */
    reshape(...shape: S.ShapeLike): Tensor;
    /**
     * Like `reshape`, but always a view sharing storage: throws when the strides do not allow one (call
     * `contiguous()` first). `x.view([-1, 784])`
     */
    view(...shape: S.ShapeLike): Tensor;
    /**
     * Merges dims `start`..`end` (inclusive; defaults 0 and −1) into one. `x.flatten(1)` turns [N, C, H, W]
     * into [N, C·H·W].
     */
    flatten(start?: number, end?: number): Tensor;
    /**
     * Removes size-1 dims: all of them, or only those in `dim` (a listed dim of another size stays).
     * `x.squeeze(1)`
     */
    squeeze(dim?: number | readonly number[]): Tensor;
    /** Inserts a size-1 dim at `dim` (−1 appends), as a view. `x.unsqueeze(0)` turns [3] into [1, 3]. */
    unsqueeze(dim: number): Tensor;
    /** Swaps dims `dim0` and `dim1`, as a view. `x.transpose(0, 1)` */
    transpose(dim0: number, dim1: number): Tensor;
    /**
     * Reorders dims: output dim i is input dim dims[i], as a view. `img.permute(0, 2, 3, 1)` turns NCHW into
     * NHWC.
     */
    permute(...dims: S.ShapeLike): Tensor;
    /**
     * Broadcasts size-1 dims (and new leading dims) to `shape` without copying (stride 0); −1 keeps a size.
     * `x.expand(4, -1)`
     */
    expand(...shape: S.ShapeLike): Tensor;
    /** Elements start..start+length−1 along `dim`, as a view. `x.narrow(1, 0, 2)` */
    narrow(dim: number, start: number, length: number): Tensor;
    /**
     * Python's x[start:end:step] along `dim`, as a view: negative bounds count from the end, out-of-range
     * bounds clamp. `x.slice(0, 1, -1)`
     */
    slice(dim: number, start?: number, end?: number, step?: number): Tensor;
    /**
     * Tiles the tensor times[i] times along dim i (extra leading entries add dims); a copy. `x.repeat(2, 1)`
     */
    repeat(...times: S.ShapeLike): Tensor;
    /**
     * Splits along `dim` (default 0) into pieces of `size` (the last may be smaller) or of the listed sizes;
     * views. `x.split([2, 3], 1)`
     */
    split(sizeOrSizes: number | readonly number[], dim?: number): Tensor[];
    /**
     * Splits along `dim` (default 0) into `chunks` pieces of ⌈size/chunks⌉ (fewer when they run out, as
     * PyTorch); views. `const [q, k, v] = qkv.chunk(3, -1)`
     */
    chunk(chunks: number, dim?: number): Tensor[];
    /** The transpose: dims reversed (for a matrix, rows and columns swapped). */
    readonly T: Tensor;

    /**
     * out[…i…] = x[…index[…i…]…] along `dim`: picks, for each position of the int32 `index` (same number of
     * dims as x), one element of x. `logp.gather(1, target.unsqueeze(1))`
     */
    gather(dim: number, index: Tensor): Tensor;
    /**
     * A copy of x with each element of `src` added at the position `index` names along `dim` (the adjoint of
     * `gather`).
     */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /** The slices of x at the positions of the 1-d int32 `index` along `dim`. `weight.indexSelect(0, ids)` */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** A copy of x with slice j of `src` added to slice index[j] along `dim` (repeated indices accumulate). */
    indexAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /**
     * x with `value` where `mask` is true (the mask broadcasts to x's shape).
     * `scores.maskedFill(pad, -Infinity)`
     */
    maskedFill(mask: Tensor, value: number): Tensor;
    /**
     * The matrix product with PyTorch's rules: [n, k]·[k, m] → [n, m]; leading batch dims broadcast; a 1-d
     * operand is a row (left) or column (right) vector whose dim is dropped again; 1-d·1-d is a dot product.
     * `x.matmul(w.T)`
     */
    matmul(other: Tensor): Tensor;

    /**
     * A copy in `dtype` (x itself if it already has it). Float ⇄ float casts carry gradients; casts to int32 or
     * bool are steps, so no gradient flows. `x.to('float64')`
     */
    to(dtype: DType): Tensor;
    /** `to('float32')`. */
    float(): Tensor;
    /** `to('float64')`. */
    double(): Tensor;
    /** `to('int32')` (truncates toward zero). */
    int(): Tensor;
    /** `to('bool')`: nonzero becomes true. */
    bool(): Tensor;
    /** A contiguous copy that stays in the graph (gradients flow back to x). */
    clone(): Tensor;
    /** x itself when its elements already lie in row-major order, else a contiguous copy (in the graph). */
    contiguous(): Tensor;
    /** A tensor sharing x's storage but cut from the graph: no gradient flows through it. */
    detach(): Tensor;
    /**
     * Reverse-mode autodiff from this tensor: accumulates ∂x/∂leaf into every leaf's `.grad`. `grad` (the
     * upstream gradient, shaped like x) may be omitted for a one-element x; `retainGraph` keeps the graph for a
     * second backward, `createGraph` records the backward itself for higher-order gradients. `loss.backward()`
     */
    backward(grad?: Tensor, opts?: { retainGraph?: boolean; createGraph?: boolean }): void;

    /**
     * In place: x += other (broadcast to x's shape); returns x. In the graph it is recorded as PyTorch
     * records it (x gets a new gradFn and version); refused on a leaf that requires grad while grad
     * mode is on (wrap optimizer-style updates in `noGrad`).
     */
    add_(other: Operand): this;
    /**
     * In place: x −= other (broadcast to x's shape); returns x. In the graph it is recorded as PyTorch
     * records it (x gets a new gradFn and version); refused on a leaf that requires grad while grad
     * mode is on (wrap optimizer-style updates in `noGrad`).
     */
    sub_(other: Operand): this;
    /**
     * In place: x ·= other (broadcast to x's shape); returns x. In the graph it is recorded as PyTorch
     * records it (x gets a new gradFn and version); refused on a leaf that requires grad while grad
     * mode is on (wrap optimizer-style updates in `noGrad`).
     */
    mul_(other: Operand): this;
    /**
     * In place: x /= other (broadcast to x's shape); returns x. In the graph it is recorded as PyTorch
     * records it (x gets a new gradFn and version); refused on a leaf that requires grad while grad
     * mode is on (wrap optimizer-style updates in `noGrad`).
     */
    div_(other: Operand): this;
    /** In place: clamps x into [min, max] (either bound may be null/undefined); returns x. */
    clamp_(min?: number | null, max?: number | null): this;
    /** In place: max(x, 0); returns x (recorded in the graph like the other in-place ops). */
    relu_(): this;
    /** In place: sets the elements where the bool `mask` (broadcast to x's shape) is true to `value`; returns x. */
    maskedFill_(mask: Tensor, value: number): this;
    /** In place: sets every element to `value`; returns x. `noGrad(() => bias.fill_(0.1))` */
    fill_(value: number): this;
    /** In place: sets every element to 0; returns x. `p.grad?.zero_()` */
    zero_(): this;
    /** In place: copies `src` (broadcast to x's shape, cast to x's dtype) into x; returns x. */
    copy_(src: Tensor): this;
  }
}

type Method = (this: Tensor, ...args: never[]) => unknown;

const methods: Record<string, Method> = {
  add(other: Operand) { return E.add(this, other); },
  sub(other: Operand) { return E.sub(this, other); },
  mul(other: Operand) { return E.mul(this, other); },
  div(other: Operand) { return E.div(this, other); },
  pow(exponent: Operand) { return E.pow(this, exponent); },
  maximum(other: Operand) { return E.maximum(this, other); },
  minimum(other: Operand) { return E.minimum(this, other); },
  neg() { return E.neg(this); },
  abs() { return E.abs(this); },
  exp() { return E.exp(this); },
  log() { return E.log(this); },
  sqrt() { return E.sqrt(this); },
  rsqrt() { return E.rsqrt(this); },
  sin() { return E.sin(this); },
  cos() { return E.cos(this); },
  tanh() { return E.tanh(this); },
  sigmoid() { return E.sigmoid(this); },
  erf() { return E.erf(this); },
  sign() { return E.sign(this); },
  relu() { return E.relu(this); },
  leakyRelu(slope?: number) { return E.leakyRelu(this, slope); },
  gelu(opts?: { approximate?: 'none' | 'tanh' }) { return E.gelu(this, opts); },
  silu() { return E.silu(this); },
  softplus(opts?: { beta?: number; threshold?: number }) { return E.softplus(this, opts); },
  elu(alpha?: number) { return E.elu(this, alpha); },
  clamp(min?: number | null, max?: number | null) { return E.clamp(this, min, max); },
  where(cond: Tensor, other: Operand) { return E.where(cond, this, other); },
  eq(other: Operand) { return E.eq(this, other); },
  ne(other: Operand) { return E.ne(this, other); },
  lt(other: Operand) { return E.lt(this, other); },
  le(other: Operand) { return E.le(this, other); },
  gt(other: Operand) { return E.gt(this, other); },
  ge(other: Operand) { return E.ge(this, other); },
  logicalNot() { return E.logicalNot(this); },
  logicalAnd(other: Operand) { return E.logicalAnd(this, other); },
  logicalOr(other: Operand) { return E.logicalOr(this, other); },

  sum(dim?: R.Dims, keepdim?: boolean) { return R.sum(this, dim, keepdim); },
  mean(dim?: R.Dims, keepdim?: boolean) { return R.mean(this, dim, keepdim); },
  var(dim?: R.Dims, opts?: R.VarOptions) { return R.variance(this, dim, opts); },
  std(dim?: R.Dims, opts?: R.VarOptions) { return R.std(this, dim, opts); },
  max(dim?: number, keepdim?: boolean) { return dim === undefined ? R.max(this) : R.max(this, dim, keepdim); },
  min(dim?: number, keepdim?: boolean) { return dim === undefined ? R.min(this) : R.min(this, dim, keepdim); },
  argmax(dim?: number, keepdim?: boolean) { return R.argmax(this, dim, keepdim); },
  argmin(dim?: number, keepdim?: boolean) { return R.argmin(this, dim, keepdim); },
  logsumexp(dim: number | readonly number[], keepdim?: boolean) { return R.logsumexp(this, dim, keepdim); },
  softmax(dim: number) { return R.softmax(this, dim); },
  logSoftmax(dim: number) { return R.logSoftmax(this, dim); },

  reshape(...shape: S.ShapeLike) { return S.reshape(this, ...shape); },
  view(...shape: S.ShapeLike) { return S.view(this, ...shape); },
  flatten(start?: number, end?: number) { return S.flatten(this, start, end); },
  squeeze(dim?: number | readonly number[]) { return S.squeeze(this, dim); },
  unsqueeze(dim: number) { return S.unsqueeze(this, dim); },
  transpose(dim0: number, dim1: number) { return S.transpose(this, dim0, dim1); },
  permute(...dims: S.ShapeLike) { return S.permute(this, ...dims); },
  expand(...shape: S.ShapeLike) { return S.expand(this, ...shape); },
  narrow(dim: number, start: number, length: number) { return S.narrow(this, dim, start, length); },
  slice(dim: number, start?: number, end?: number, step?: number) { return S.slice(this, dim, start, end, step); },
  repeat(...times: S.ShapeLike) { return S.repeat(this, ...times); },
  split(sizeOrSizes: number | readonly number[], dim?: number) { return S.split(this, sizeOrSizes, dim); },
  chunk(chunks: number, dim?: number) { return S.chunk(this, chunks, dim); },

  gather(dim: number, index: Tensor) { return I.gather(this, dim, index); },
  scatterAdd(dim: number, index: Tensor, src: Tensor) { return I.scatterAdd(this, dim, index, src); },
  indexSelect(dim: number, index: Tensor) { return I.indexSelect(this, dim, index); },
  indexAdd(dim: number, index: Tensor, src: Tensor) { return I.indexAdd(this, dim, index, src); },
  maskedFill(mask: Tensor, value: number) { return I.maskedFill(this, mask, value); },
  matmul(other: Tensor) { return I.matmul(this, other); },

  to(dtype: DType) { return S.to(this, dtype); },
  float() { return S.to(this, 'float32'); },
  double() { return S.to(this, 'float64'); },
  int() { return S.to(this, 'int32'); },
  bool() { return S.to(this, 'bool'); },
  clone() { return S.clone(this); },
  contiguous() { return S.contiguous(this); },
  detach() { return S.detach(this); },
  backward(grad?: Tensor, opts?: { retainGraph?: boolean; createGraph?: boolean }) { backward(this, grad, opts); },

  add_(other: Operand) { return P.add_(this, other); },
  sub_(other: Operand) { return P.sub_(this, other); },
  mul_(other: Operand) { return P.mul_(this, other); },
  div_(other: Operand) { return P.div_(this, other); },
  clamp_(min?: number | null, max?: number | null) { return P.clamp_(this, min, max); },
  relu_() { return P.relu_(this); },
  maskedFill_(mask: Tensor, value: number) { return P.maskedFill_(this, mask, value); },
  fill_(value: number) { return P.fill_(this, value); },
  zero_() { return P.zero_(this); },
  copy_(src: Tensor) { return P.copy_(this, src); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}

Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return S.permute(this, this.shape.map((_, i) => this.ndim - 1 - i));
  },
  configurable: true,
});
