/**
 * Op-table entries of the elementwise ops: unary maps, broadcasting binary ops (with tensor and
 * scalar operands), where, and the non-differentiable comparisons and logical ops.
 */
import fc from 'fast-check';
import * as tg from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { erfRef, map, phiRef, zip, type NdArray } from '../reference.js';
import { broadcastShapesArb, POSITIVE, REAL, shapeArb } from './arbitraries.js';
import type { Domain, OpCase, OpEntry } from './types.js';

const sigma = (v: number) => 1 / (1 + Math.exp(-v));

/** An entry for x ↦ f(x) elementwise, one case per random shape. */
function unary(name: string, call: (x: Tensor) => Tensor, f: (v: number) => number, domain: Domain = REAL, label = ''): OpEntry {
  return { name, differentiable: true, cases: unaryCases(call, f, domain, label) };
}

function unaryCases(call: (x: Tensor) => Tensor, f: (v: number) => number, domain: Domain, label: string): fc.Arbitrary<OpCase> {
  return shapeArb().map((shape) => ({
    label,
    inputs: [{ shape, domain }],
    call: ([x]) => call(x),
    reference: ([x]) => map(x, f),
  }));
}

/**
 * Cases of a binary op: two broadcasting tensors, or a tensor and a JS number on the right
 * (scalars are accepted wherever a tensor is).
 */
function binaryCases(
  call: (a: Tensor, b: Tensor | number) => Tensor,
  f: (a: number, b: number) => number,
  da: Domain,
  db: Domain,
  scalars: readonly number[],
): fc.Arbitrary<OpCase> {
  const tensors = broadcastShapesArb(2).map(([sa, sb]): OpCase => ({
    label: 'tensor ⊕ tensor',
    inputs: [{ shape: sa, domain: da }, { shape: sb, domain: db }],
    call: ([a, b]) => call(a, b),
    reference: ([a, b]) => zip([a, b], f),
  }));
  const withScalar = fc.tuple(shapeArb(), fc.constantFrom(...scalars)).map(([shape, s]): OpCase => ({
    label: `tensor ⊕ ${s}`,
    inputs: [{ shape, domain: da }],
    call: ([a]) => call(a, s),
    reference: ([a]) => map(a, (v) => f(v, s)),
  }));
  return fc.oneof({ arbitrary: tensors, weight: 3 }, { arbitrary: withScalar, weight: 1 });
}

function binary(name: string, call: (a: Tensor, b: Tensor | number) => Tensor, f: (a: number, b: number) => number, da: Domain = REAL, db: Domain = REAL, scalars: readonly number[] = [2, -0.5]): OpEntry {
  return { name, differentiable: true, cases: binaryCases(call, f, da, db, scalars) };
}

/** A comparison or logical op: bool result, no gradient. Values are drawn with ties. */
function comparison(name: string, call: (a: Tensor, b: Tensor | number) => Tensor, f: (a: number, b: number) => boolean): OpEntry {
  return { name, differentiable: false, result: 'bool', cases: binaryCases(call, (a, b) => (f(a, b) ? 1 : 0), REAL, REAL, [0, 0.5]) };
}

const NONZERO: Domain = { lo: -2, hi: 2, avoid: [0], margin: 0.3 };
const KINK_AT_0: Domain = { lo: -2, hi: 2, avoid: [0] };

/** The exact GELU and its tanh approximation, from Φ and tanh directly. */
const geluRef = (v: number) => v * phiRef(v);
const geluTanhRef = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));

/** softplus(x) = log(1 + e^(βx))/β, and x where βx > threshold. */
const softplusRef = (beta: number, threshold: number) => (v: number) => (beta * v > threshold ? v : Math.log(1 + Math.exp(beta * v)) / beta);

export const elementwiseEntries: OpEntry[] = [
  binary('add', tg.add, (a, b) => a + b),
  binary('sub', tg.sub, (a, b) => a - b),
  binary('mul', tg.mul, (a, b) => a * b),
  binary('div', tg.div, (a, b) => a / b, REAL, NONZERO, [2, -0.5]),
  binary('pow', tg.pow, (a, b) => a ** b, POSITIVE, REAL, [2, 3, -0.5]),
  binary('maximum', tg.maximum, (a, b) => Math.max(a, b)),
  binary('minimum', tg.minimum, (a, b) => Math.min(a, b)),
  unary('neg', tg.neg, (v) => -v),
  unary('abs', tg.abs, Math.abs, KINK_AT_0),
  unary('exp', tg.exp, Math.exp),
  unary('log', tg.log, Math.log, POSITIVE),
  unary('log1p', tg.log1p, Math.log1p, { lo: -0.9, hi: 3 }),
  unary('expm1', tg.expm1, Math.expm1, { lo: -3, hi: 3 }),
  unary('sqrt', tg.sqrt, Math.sqrt, POSITIVE),
  unary('rsqrt', tg.rsqrt, (v) => 1 / Math.sqrt(v), POSITIVE),
  unary('sin', tg.sin, Math.sin, { lo: -4, hi: 4 }),
  unary('cos', tg.cos, Math.cos, { lo: -4, hi: 4 }),
  unary('tanh', tg.tanh, Math.tanh, { lo: -3, hi: 3 }),
  unary('sigmoid', tg.sigmoid, sigma, { lo: -5, hi: 5 }),
  unary('erf', tg.erf, erfRef, { lo: -3, hi: 3 }),
  unary('relu', tg.relu, (v) => (v > 0 ? v : 0), KINK_AT_0),
  {
    name: 'leakyRelu',
    differentiable: true,
    cases: fc.constantFrom(undefined, 0.2).chain((slope) =>
      unaryCases((x) => tg.leakyRelu(x, slope), (v) => (v > 0 ? v : (slope ?? 0.01) * v), KINK_AT_0, `slope=${slope}`),
    ),
  },
  {
    name: 'gelu',
    differentiable: true,
    cases: fc.constantFrom<'none' | 'tanh' | undefined>(undefined, 'none', 'tanh').chain((approximate) =>
      unaryCases(
        (x) => (approximate === undefined ? tg.gelu(x) : tg.gelu(x, { approximate })),
        approximate === 'tanh' ? geluTanhRef : geluRef,
        { lo: -3, hi: 3 },
        `approximate=${approximate}`,
      ),
    ),
  },
  unary('silu', tg.silu, (v) => v * sigma(v), { lo: -4, hi: 4 }),
  {
    name: 'softplus',
    differentiable: true,
    // beta 2 with threshold 1 puts x > 0.5 in the linear regime, where the value jumps (as
    // PyTorch's does), so gradcheck stays clear of x = 0.5.
    cases: fc.constantFrom<[number | undefined, number | undefined]>([undefined, undefined], [2, undefined], [2, 1]).chain(([beta, threshold]) =>
      unaryCases(
        (x) => tg.softplus(x, { ...(beta === undefined ? {} : { beta }), ...(threshold === undefined ? {} : { threshold }) }),
        softplusRef(beta ?? 1, threshold ?? 20),
        { lo: -3, hi: 3, avoid: [(threshold ?? 20) / (beta ?? 1)] },
        `beta=${beta} threshold=${threshold}`,
      ),
    ),
  },
  {
    name: 'elu',
    differentiable: true,
    cases: fc.constantFrom(undefined, 0.5).chain((alpha) =>
      unaryCases((x) => tg.elu(x, alpha), (v) => (v > 0 ? v : (alpha ?? 1) * (Math.exp(v) - 1)), KINK_AT_0, `alpha=${alpha}`),
    ),
  },
  {
    name: 'clamp',
    differentiable: true,
    cases: fc.constantFrom<[number | null, number | null]>([-0.5, 1], [-1, null], [null, 0.5], [0.5, 0.5]).chain(([lo, hi]) =>
      unaryCases(
        (x) => tg.clamp(x, lo, hi),
        (v) => Math.min(Math.max(v, lo ?? -Infinity), hi ?? Infinity),
        { lo: -2, hi: 2, avoid: [lo ?? -9, hi ?? 9] },
        `min=${lo} max=${hi}`,
      ),
    ),
  },
  {
    name: 'where',
    differentiable: true,
    cases: fc
      .tuple(broadcastShapesArb(3), fc.array(fc.boolean(), { minLength: 27, maxLength: 27 }), fc.boolean())
      .map(([[sc, sa, sb], bits, asMethod]): OpCase => {
        const n = sc.reduce((p, s) => p * s, 1);
        const cond = bits.slice(0, n);
        const condRef: NdArray = { shape: sc, data: Float64Array.from(cond, (c) => (c ? 1 : 0)) };
        return {
          label: `cond=${JSON.stringify(cond)} of [${sc}]${asMethod ? ' (method a.where(cond, b))' : ''}`,
          inputs: [{ shape: sa, domain: REAL }, { shape: sb, domain: REAL }],
          call: ([a, b]) => {
            const c = tg.tensor(Uint8Array.from(cond, (v) => (v ? 1 : 0)), { shape: sc, dtype: 'bool' });
            return asMethod ? a.where(c, b) : tg.where(c, a, b);
          },
          reference: ([a, b]) => zip([condRef, a, b], (c, x, y) => (c !== 0 ? x : y)),
        };
      }),
  },
  { name: 'sign', differentiable: false, cases: unaryCases(tg.sign, Math.sign, REAL, '') },
  comparison('eq', tg.eq, (a, b) => a === b),
  comparison('ne', tg.ne, (a, b) => a !== b),
  comparison('lt', tg.lt, (a, b) => a < b),
  comparison('le', tg.le, (a, b) => a <= b),
  comparison('gt', tg.gt, (a, b) => a > b),
  comparison('ge', tg.ge, (a, b) => a >= b),
  comparison('logicalAnd', tg.logicalAnd, (a, b) => a !== 0 && b !== 0),
  comparison('logicalOr', tg.logicalOr, (a, b) => a !== 0 || b !== 0),
  { name: 'logicalNot', differentiable: false, result: 'bool', cases: unaryCases(tg.logicalNot, (v) => (v === 0 ? 1 : 0), REAL, '') },
];
