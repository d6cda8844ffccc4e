/**
 * Op-table entries of the reductions: sum, mean, var/std, max/min (all elements, and along a dim
 * with values), argmax/argmin (forward only), logsumexp, softmax and logSoftmax.
 */
import fc from 'fast-check';
import * as tg from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { alongDim, normDim, reduce, sizeOf, type NdArray } from '../reference.js';
import { dimArb, dimSubsetArb, REAL, shapeArb } from './arbitraries.js';
import type { OpCase, OpEntry } from './types.js';

/** A dim argument: all dims (undefined), one dim, or a non-empty list of dims. */
type DimArg = number | number[] | undefined;

function dimArgArb(ndim: number): fc.Arbitrary<DimArg> {
  const options: fc.Arbitrary<DimArg>[] = [fc.constant(undefined)];
  // A 0-d tensor takes dim 0 or −1 (as PyTorch), and the reduction is over nothing.
  if (ndim === 0) options.push(fc.constantFrom<DimArg>(0, -1, [0]));
  if (ndim > 0) {
    options.push(dimArb(ndim));
    options.push(dimSubsetArb(ndim).filter((d) => d.length > 0).map((d) => d.map((v) => (v % 2 === 0 ? v : v - ndim))));
  }
  return fc.oneof(...options);
}

/** The dims a dim argument names, as a list (every dim for undefined). */
function dimList(dim: DimArg, ndim: number): number[] {
  if (dim === undefined || ndim === 0) return Array.from({ length: ndim }, (_, d) => d);
  return (typeof dim === 'number' ? [dim] : dim).map((d) => normDim(d, ndim));
}

const total = (vs: number[]) => vs.reduce((a, b) => a + b, 0);
const average = (vs: number[]) => total(vs) / vs.length;
const varianceOf = (correction: number) => (vs: number[]) => {
  const m = average(vs);
  return total(vs.map((v) => (v - m) ** 2)) / (vs.length - correction);
};

/** Cases of a reduction called as f(x, dim, keepdim). */
function reductionCases(
  call: (x: Tensor, dim: DimArg, keepdim: boolean | undefined) => Tensor,
  f: (values: number[]) => number,
  minDims = 0,
): fc.Arbitrary<OpCase> {
  return shapeArb(minDims)
    .chain((shape) => fc.tuple(fc.constant(shape), dimArgArb(shape.length), fc.constantFrom(undefined, false, true)))
    .map(([shape, dim, keepdim]) => ({
      label: `dim=${JSON.stringify(dim)} keepdim=${keepdim}`,
      inputs: [{ shape, domain: REAL }],
      call: ([x]) => call(x, dim, keepdim),
      reference: ([x]) => reduce(x, dimList(dim, shape.length), keepdim ?? false, f),
    }));
}

/** var/std cases: at least two reduced elements when unbiased, so the result is finite. */
function varianceCases(call: (x: Tensor, dim: DimArg, opts: tg.VarOptions) => Tensor, root: boolean): fc.Arbitrary<OpCase> {
  return shapeArb(0, 3, 3)
    .chain((shape) => fc.tuple(fc.constant(shape), dimArgArb(shape.length), fc.constantFrom(undefined, true, false), fc.boolean()))
    .filter(([shape, dim]) => sizeOf(dimList(dim, shape.length).map((d) => shape[d])) >= 2)
    .map(([shape, dim, unbiased, keepdim]) => ({
      label: `dim=${JSON.stringify(dim)} unbiased=${unbiased} keepdim=${keepdim}`,
      inputs: [{ shape, domain: REAL }],
      call: ([x]) => call(x, dim, { ...(unbiased === undefined ? {} : { unbiased }), keepdim }),
      reference: ([x]) => reduce(x, dimList(dim, shape.length), keepdim, (vs) => {
        const v = varianceOf(unbiased === false ? 0 : 1)(vs);
        return root ? Math.sqrt(v) : v;
      }),
    }));
}

/** max/min: over all elements (a 0-d tensor), or `.values` along a dim. */
function extremumCases(op: 'max' | 'min'): fc.Arbitrary<OpCase> {
  const pick = op === 'max' ? Math.max : Math.min;
  const all = shapeArb().map((shape): OpCase => ({
    label: 'all elements',
    inputs: [{ shape, domain: REAL }],
    call: ([x]) => (op === 'max' ? tg.max(x) : tg.min(x)),
    reference: ([x]) => reduce(x, dimList(undefined, shape.length), false, (vs) => pick(...vs)),
  }));
  const along = shapeArb(1)
    .chain((shape) => fc.tuple(fc.constant(shape), dimArb(shape.length), fc.constantFrom(undefined, true, false)))
    .map(([shape, dim, keepdim]): OpCase => ({
      label: `dim=${dim} keepdim=${keepdim} (values)`,
      inputs: [{ shape, domain: REAL }],
      call: ([x]) => (op === 'max' ? tg.max(x, dim, keepdim) : tg.min(x, dim, keepdim)).values,
      reference: ([x]) => reduce(x, [dim], keepdim ?? false, (vs) => pick(...vs)),
    }));
  return fc.oneof(all, along);
}

/** argmax/argmin: the first index of the extreme value, along a dim or of the flattened tensor. */
function argExtremumCases(op: 'argmax' | 'argmin'): fc.Arbitrary<OpCase> {
  const better = op === 'argmax' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  const firstBest = (vs: number[]) => vs.reduce((best, v, i) => (better(v, vs[best]) ? i : best), 0);
  return shapeArb(1)
    .chain((shape) => fc.tuple(fc.constant(shape), fc.option(dimArb(shape.length), { nil: undefined }), fc.boolean()))
    .map(([shape, dim, keepdim]) => ({
      label: `dim=${dim} keepdim=${keepdim}`,
      inputs: [{ shape, domain: REAL }],
      call: ([x]) => (op === 'argmax' ? tg.argmax(x, dim, keepdim) : tg.argmin(x, dim, keepdim)),
      reference: ([x]) => reduce(x, dimList(dim, shape.length), keepdim, firstBest),
    }));
}

/** log Σ exp, computed the naive way on modest inputs. */
const logSumExp = (vs: number[]) => Math.log(total(vs.map(Math.exp)));

function softmaxCases(call: (x: Tensor, dim: number) => Tensor, f: (line: number[], i: number) => number): fc.Arbitrary<OpCase> {
  return shapeArb()
    .chain((shape) => fc.tuple(fc.constant(shape), dimArb(Math.max(shape.length, 1))))
    .map(([shape, dim]) => ({
      label: `dim=${dim}`,
      inputs: [{ shape, domain: { lo: -3, hi: 3 } }],
      call: ([x]) => call(x, dim),
      // A 0-d tensor is a line of one element.
      reference: ([x]: NdArray[]) => (shape.length === 0 ? { shape: [], data: alongDim({ shape: [1], data: x.data }, 0, f).data } : alongDim(x, dim, f)),
    }));
}

export const reductionEntries: OpEntry[] = [
  { name: 'sum', differentiable: true, cases: reductionCases((x, d, k) => tg.sum(x, d, k), total) },
  { name: 'mean', differentiable: true, cases: reductionCases((x, d, k) => tg.mean(x, d, k), average) },
  { name: 'variance', differentiable: true, cases: varianceCases((x, d, o) => tg.variance(x, d, o), false) },
  { name: 'var', differentiable: true, cases: varianceCases((x, d, o) => x.var(d, o), false) },
  { name: 'std', differentiable: true, cases: varianceCases((x, d, o) => tg.std(x, d, o), true) },
  { name: 'max', differentiable: true, cases: extremumCases('max') },
  { name: 'min', differentiable: true, cases: extremumCases('min') },
  { name: 'argmax', differentiable: false, result: 'int32', cases: argExtremumCases('argmax') },
  { name: 'argmin', differentiable: false, result: 'int32', cases: argExtremumCases('argmin') },
  {
    name: 'logsumexp',
    differentiable: true,
    cases: reductionCases((x, d, k) => tg.logsumexp(x, d ?? x.shape.map((_, i) => i), k), logSumExp),
  },
  {
    name: 'softmax',
    differentiable: true,
    cases: softmaxCases(tg.softmax, (line, i) => Math.exp(line[i]) / total(line.map(Math.exp))),
  },
  {
    name: 'logSoftmax',
    differentiable: true,
    cases: softmaxCases(tg.logSoftmax, (line, i) => line[i] - logSumExp(line)),
  },
];
