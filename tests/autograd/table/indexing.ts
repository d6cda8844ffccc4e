/**
 * Op-table entries of the indexing ops (gather, scatterAdd, indexSelect, indexAdd, maskedFill)
 * and matmul. Index tensors and masks are drawn by the generator; only the float operands are
 * the op's inputs.
 */
import fc from 'fast-check';
import * as tg from '../../../src/index.js';
import { at, build, matmulRef, normDim, sizeOf, unravel, type NdArray } from '../reference.js';
import { broadcastShapesArb, dimArb, REAL, shapeArb } from './arbitraries.js';
import type { OpCase, OpEntry } from './types.js';

/** An int32 tensor of `shape` holding `values`. */
function indexTensor(values: readonly number[], shape: readonly number[]): tg.Tensor {
  return tg.tensor(Int32Array.from(values), { shape: [...shape] });
}

/** x's shape, an index shape no larger in any dim but `dim`, and index values in range along `dim`. */
const gatherSetup = shapeArb(1, 3)
  .chain((shape) => fc.tuple(fc.constant(shape), dimArb(shape.length)))
  .chain(([shape, dim]) => {
    const d = normDim(dim, shape.length);
    const indexShape = fc.tuple(...shape.map((s, i) => fc.integer({ min: i === d ? 0 : 1, max: i === d ? 3 : s })));
    return fc.tuple(fc.constant(shape), fc.constant(dim), indexShape).chain(([s, dm, is]) =>
      fc.tuple(fc.constant(s), fc.constant(dm), fc.constant(is), fc.array(fc.nat(shape[d] - 1), { minLength: sizeOf(is), maxLength: sizeOf(is) })),
    );
  });

/** index (1-d) into dim of x, for indexSelect/indexAdd. */
const selectSetup = shapeArb(1, 3)
  .chain((shape) => fc.tuple(fc.constant(shape), dimArb(shape.length)))
  .chain(([shape, dim]) => fc.tuple(fc.constant(shape), fc.constant(dim), fc.array(fc.nat(shape[normDim(dim, shape.length)] - 1), { maxLength: 4 })));

const gatherEntry: OpEntry = {
  name: 'gather',
  differentiable: true,
  cases: gatherSetup.map(([shape, dim, indexShape, index]): OpCase => {
    const d = normDim(dim, shape.length);
    return {
      label: `dim=${dim} index=${JSON.stringify(index)} of [${indexShape}]`,
      inputs: [{ shape, domain: REAL }],
      call: ([x]) => tg.gather(x, dim, indexTensor(index, indexShape)),
      reference: ([x]) => build(indexShape, (i) => at(x, i.map((v, k) => (k === d ? index[flatOf(i, indexShape)] : v)))),
    };
  }),
};

function flatOf(index: readonly number[], shape: readonly number[]): number {
  let p = 0;
  for (let k = 0; k < shape.length; k++) p = p * shape[k] + index[k];
  return p;
}

const scatterAddEntry: OpEntry = {
  name: 'scatterAdd',
  differentiable: true,
  cases: gatherSetup.map(([shape, dim, indexShape, index]): OpCase => {
    const d = normDim(dim, shape.length);
    return {
      label: `dim=${dim} index=${JSON.stringify(index)} of [${indexShape}]`,
      inputs: [{ shape, domain: REAL }, { shape: indexShape, domain: REAL }],
      call: ([x, src]) => tg.scatterAdd(x, dim, indexTensor(index, indexShape), src),
      reference: ([x, src]) => {
        const out: NdArray = { shape: [...shape], data: x.data.slice() };
        for (let p = 0; p < src.data.length; p++) {
          const i = unravel(p, indexShape);
          i[d] = index[p];
          out.data[flatOf(i, shape)] += src.data[p];
        }
        return out;
      },
    };
  }),
};

const indexSelectEntry: OpEntry = {
  name: 'indexSelect',
  differentiable: true,
  cases: selectSetup.map(([shape, dim, index]): OpCase => {
    const d = normDim(dim, shape.length);
    return {
      label: `dim=${dim} index=${JSON.stringify(index)}`,
      inputs: [{ shape, domain: REAL }],
      call: ([x]) => tg.indexSelect(x, dim, indexTensor(index, [index.length])),
      reference: ([x]) => build(shape.map((s, i) => (i === d ? index.length : s)), (i) => at(x, i.map((v, k) => (k === d ? index[v] : v)))),
    };
  }),
};

const indexAddEntry: OpEntry = {
  name: 'indexAdd',
  differentiable: true,
  cases: selectSetup.map(([shape, dim, index]): OpCase => {
    const d = normDim(dim, shape.length);
    const srcShape = shape.map((s, i) => (i === d ? index.length : s));
    return {
      label: `dim=${dim} index=${JSON.stringify(index)}`,
      inputs: [{ shape, domain: REAL }, { shape: srcShape, domain: REAL }],
      call: ([x, src]) => tg.indexAdd(x, dim, indexTensor(index, [index.length]), src),
      reference: ([x, src]) => {
        const out: NdArray = { shape: [...shape], data: x.data.slice() };
        for (let p = 0; p < src.data.length; p++) {
          const i = unravel(p, srcShape);
          i[d] = index[i[d]];
          out.data[flatOf(i, shape)] += src.data[p];
        }
        return out;
      },
    };
  }),
};

const maskedFillEntry: OpEntry = {
  name: 'maskedFill',
  differentiable: true,
  // The mask's shape broadcasts to x's (it is x's shape with dims dropped or set to 1).
  cases: shapeArb()
    .chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 0, max: x.length }), fc.array(fc.boolean(), { minLength: x.length, maxLength: x.length })))
    .map(([x, drop, ones]): [number[], number[]] => [x, x.slice(drop).map((s, i) => (ones[i + drop] ? 1 : s))])
    .chain(([xShape, maskShape]) => fc.tuple(fc.constant(xShape), fc.constant(maskShape), fc.array(fc.boolean(), { minLength: sizeOf(maskShape), maxLength: sizeOf(maskShape) }), fc.boolean()))
    .map(([xShape, maskShape, bits, asMethod]): OpCase => ({
      label: `mask=${JSON.stringify(bits)} of [${maskShape}]${asMethod ? ' (method)' : ''}`,
      inputs: [{ shape: xShape, domain: REAL }],
      call: ([x]) => {
        const mask = tg.tensor(Uint8Array.from(bits, (v) => (v ? 1 : 0)), { shape: maskShape, dtype: 'bool' });
        return asMethod ? x.maskedFill(mask, -1.5) : tg.maskedFill(x, mask, -1.5);
      },
      reference: ([x]) =>
        build(xShape, (i) => {
          const lead = xShape.length - maskShape.length;
          const own = maskShape.map((s, k) => (s === 1 ? 0 : i[lead + k]));
          return bits[flatOf(own, maskShape)] ? -1.5 : at(x, i);
        }),
    })),
};

/** Operand shapes for matmul: every 1-d/2-d combination and broadcasting batches. */
const matmulShapes: fc.Arbitrary<[number[], number[]]> = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), broadcastShapesArb(2, 2), fc.integer({ min: 0, max: 4 }))
  .map(([m, k, n, [ba, bb], form]): [number[], number[]] => {
    switch (form) {
      case 0:
        return [[k], [k]];
      case 1:
        return [[k], [...bb, k, n]];
      case 2:
        return [[...ba, m, k], [k]];
      default:
        return [[...ba, m, k], [...bb, k, n]];
    }
  });

const matmulEntry: OpEntry = {
  name: 'matmul',
  differentiable: true,
  float32Tol: 1e-4,
  cases: fc.tuple(matmulShapes, fc.boolean()).map(([[sa, sb], asMethod]): OpCase => ({
    label: `[${sa}] @ [${sb}]${asMethod ? ' (method)' : ''}`,
    inputs: [{ shape: sa, domain: REAL }, { shape: sb, domain: REAL }],
    call: ([a, b]) => (asMethod ? a.matmul(b) : tg.matmul(a, b)),
    reference: ([a, b]) => matmulRef(a, b),
  })),
};

export const indexingEntries: OpEntry[] = [gatherEntry, scatterAddEntry, indexSelectEntry, indexAddEntry, maskedFillEntry, matmulEntry];
