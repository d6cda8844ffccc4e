/** The pow kernel's fast paths (scalar exponents 2 and 1) give Math.pow's results bit for bit. */
import { describe, expect, it } from 'vitest';
import { binaryFlat, binaryKernels } from '../../src/kernels/binary.js';
import { seededArray } from './reference.js';

describe('pow kernel', () => {
  const specials = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e-30, -3.5e30, 1.5e200, -2.2e-310];

  it.each([Float32Array, Float64Array])('x² by a scalar 2 equals Math.pow(x, 2) (%s), strided too', (Type) => {
    const x = new Type([...specials, ...Array.from(seededArray(Type, 101, 3), (v) => v * 1e3)]);
    const out = new Type(x.length);
    binaryFlat('pow', x, 0, new Type([2]), 0, 0, out, x.length);
    const expected = new Type(Array.from(x, (v: number) => Math.pow(v, 2)));
    expect(Array.from(out, (v: number) => Object.is(v, -0) ? 'neg0' : v)).toEqual(Array.from(expected, (v: number) => Object.is(v, -0) ? 'neg0' : v));
    const every2nd = new Type(Math.ceil(x.length / 2));
    binaryKernels.pow(x, 1, 2, new Type([2]), 0, 0, every2nd, 0, every2nd.length);
    expect(every2nd).toEqual(new Type(Array.from(every2nd, (_: number, i: number) => Math.pow(x[1 + 2 * i], 2))));
  });

  it('other exponents and tensor exponents keep Math.pow', () => {
    const x = seededArray(Float64Array, 50, 4), y = seededArray(Float64Array, 50, 5);
    const out = new Float64Array(50);
    binaryFlat('pow', x, 0, y, 0, 1, out, 50);
    expect(out).toEqual(Float64Array.from(x, (v, i) => Math.pow(v, y[i])));
    binaryFlat('pow', x, 0, new Float64Array([1]), 0, 0, out, 50);
    expect(out).toEqual(Float64Array.from(x, (v) => Math.pow(v, 1)));
    binaryFlat('pow', x, 0, new Float64Array([3]), 0, 0, out, 50);
    expect(out).toEqual(Float64Array.from(x, (v) => Math.pow(v, 3)));
  });
});
