/**
 * Attaches the ops to Tensor as methods (`x.add(y)`, `x.sum(1)`, `x.T`, `x.backward()`). The
 * Tensor class lives in src/tensor/ and knows nothing of the ops; this module adds them to its
 * prototype and declares their types. It is listed in package.json's `sideEffects`, so bundlers
 * keep it.
 */
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { backward } from './grad.js';
import type { Operand } from './functions/util.js';
import * as E from './ops/elementwise.js';
import * as I from './ops/indexing.js';
import * as P from './ops/inplace.js';
import * as R from './ops/reduce.js';
import * as S from './ops/shape.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    add(other: Operand): Tensor;
    sub(other: Operand): Tensor;
    mul(other: Operand): Tensor;
    div(other: Operand): Tensor;
    pow(exponent: Operand): Tensor;
    maximum(other: Operand): Tensor;
    minimum(other: Operand): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    erf(): Tensor;
    sign(): Tensor;
    relu(): Tensor;
    leakyRelu(slope?: number): Tensor;
    gelu(opts?: { approximate?: 'none' | 'tanh' }): Tensor;
    silu(): Tensor;
    softplus(opts?: { beta?: number; threshold?: number }): Tensor;
    elu(alpha?: number): Tensor;
    clamp(min?: number | null, max?: number | null): Tensor;
    /** `x.where(cond, y)` is `where(cond, x, y)`. */
    where(cond: Tensor, other: Operand): Tensor;
    eq(other: Operand): Tensor;
    ne(other: Operand): Tensor;
    lt(other: Operand): Tensor;
    le(other: Operand): Tensor;
    gt(other: Operand): Tensor;
    ge(other: Operand): Tensor;
    logicalNot(): Tensor;
    logicalAnd(other: Operand): Tensor;
    logicalOr(other: Operand): Tensor;

    sum(dim?: R.Dims, keepdim?: boolean): Tensor;
    mean(dim?: R.Dims, keepdim?: boolean): Tensor;
    var(dim?: R.Dims, opts?: R.VarOptions): Tensor;
    std(dim?: R.Dims, opts?: R.VarOptions): Tensor;
    max(): Tensor;
    max(dim: number, keepdim?: boolean): R.ValuesIndices;
    min(): Tensor;
    min(dim: number, keepdim?: boolean): R.ValuesIndices;
    argmax(dim?: number, keepdim?: boolean): Tensor;
    argmin(dim?: number, keepdim?: boolean): Tensor;
    logsumexp(dim: number | readonly number[], keepdim?: boolean): Tensor;
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;

    reshape(...shape: S.ShapeLike): Tensor;
    view(...shape: S.ShapeLike): Tensor;
    flatten(start?: number, end?: number): Tensor;
    squeeze(dim?: number | readonly number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    permute(...dims: S.ShapeLike): Tensor;
    expand(...shape: S.ShapeLike): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    slice(dim: number, start?: number, end?: number, step?: number): Tensor;
    repeat(...times: S.ShapeLike): Tensor;
    split(sizeOrSizes: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    /** The transpose: dims reversed (for a matrix, rows and columns swapped). */
    readonly T: Tensor;

    gather(dim: number, index: Tensor): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    indexAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    maskedFill(mask: Tensor, value: number): Tensor;
    matmul(other: Tensor): Tensor;

    to(dtype: DType): Tensor;
    float(): Tensor;
    double(): Tensor;
    int(): Tensor;
    bool(): Tensor;
    clone(): Tensor;
    contiguous(): Tensor;
    detach(): Tensor;
    backward(grad?: Tensor, opts?: { retainGraph?: boolean; createGraph?: boolean }): void;

    add_(other: Operand): this;
    sub_(other: Operand): this;
    mul_(other: Operand): this;
    div_(other: Operand): this;
    clamp_(min?: number | null, max?: number | null): this;
    /** max(x, 0) in place. */
    relu_(): this;
    /** Sets the elements where `mask` is true to `value`, in place. */
    maskedFill_(mask: Tensor, value: number): this;
    fill_(value: number): this;
    zero_(): this;
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
