/**
 * Op-table entries of the shape ops: views (reshape, view, permute, expand, slice…), the ops that
 * build new tensors (cat, stack, repeat, pad), the ones that take pieces (split, chunk), copies
 * and casts. References index the input directly (out[index] = x[source(index)]).
 */
import fc from 'fast-check';
import * as tg from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { at, build, map, normDim, sizeOf, type NdArray } from '../reference.js';
import { dimArb, permutationArb, REAL, shapeArb } from './arbitraries.js';
import type { OpCase, OpEntry } from './types.js';

/** A case with one input of `shape` whose reference is x read at `source(outIndex)`. */
function gatherCase(label: string, shape: number[], outShape: number[], call: (x: Tensor) => Tensor, source: (i: number[]) => number[]): OpCase {
  return { label, inputs: [{ shape, domain: REAL }], call: ([x]) => call(x), reference: ([x]) => build(outShape, (i) => at(x, source(i))) };
}

/** The same elements in a new shape, row-major order kept. */
function reshaped(x: NdArray, shape: number[]): NdArray {
  return { shape, data: x.data };
}

/** Target shapes for reshape/view: the dims reversed, optionally with one −1; or flat; or 0-d↔[1]. */
function reshapeTargetArb(shape: number[]): fc.Arbitrary<number[]> {
  const n = sizeOf(shape);
  const reversed = [...shape].reverse();
  const options: fc.Arbitrary<number[]>[] = [fc.constant(reversed), fc.constant([n]), fc.constant([1, n, 1]), fc.constant([-1])];
  if (n === 1) options.push(fc.constant([]));
  if (reversed.length > 0) options.push(fc.integer({ min: 0, max: reversed.length - 1 }).map((i) => reversed.map((s, j) => (j === i ? -1 : s))));
  return fc.oneof(...options);
}

function resolved(target: number[], n: number): number[] {
  const known = target.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
  return target.map((s) => (s === -1 ? n / known : s));
}

function reshapeCases(call: (x: Tensor, shape: number[], spread: boolean) => Tensor): fc.Arbitrary<OpCase> {
  return shapeArb()
    .chain((shape) => fc.tuple(fc.constant(shape), reshapeTargetArb(shape), fc.boolean()))
    .map(([shape, target, spread]) => ({
      label: `to ${JSON.stringify(target)}${spread ? ' (spread)' : ''}`,
      inputs: [{ shape, domain: REAL }],
      call: ([x]) => call(x, target, spread),
      reference: ([x]) => reshaped(x, resolved(target, sizeOf(shape))),
    }));
}

/** Python's slice(start, end, step) of range(size), step > 0. */
function pythonSlice(size: number, start: number | undefined, end: number | undefined, step: number): number[] {
  const norm = (v: number) => (v < 0 ? Math.max(0, v + size) : Math.min(v, size));
  const out: number[] = [];
  for (let i = start === undefined ? 0 : norm(start); i < (end === undefined ? size : norm(end)); i += step) out.push(i);
  return out;
}

/** Input shapes for cat/stack: `count` shapes equal except (for cat) along `dim`. */
function joinCases(kind: 'cat' | 'stack'): fc.Arbitrary<OpCase> {
  return shapeArb(1)
    .chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        dimArb(shape.length + (kind === 'stack' ? 1 : 0)),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
      ),
    )
    .map(([shape, dim, sizes]) => {
      const d = normDim(dim, shape.length + (kind === 'stack' ? 1 : 0));
      const shapes = sizes.map((s) => (kind === 'cat' ? shape.map((v, i) => (i === d ? s : v)) : shape));
      return {
        label: `dim=${dim} shapes=${JSON.stringify(shapes)}`,
        inputs: shapes.map((s) => ({ shape: s, domain: REAL })),
        call: (xs) => (kind === 'cat' ? tg.cat(xs, dim) : tg.stack(xs, dim)),
        reference: (xs) => {
          if (kind === 'stack') {
            return build([...shape.slice(0, d), xs.length, ...shape.slice(d)], (i) => at(xs[i[d]], i.filter((_, k) => k !== d)));
          }
          const starts = shapes.map((_, k) => shapes.slice(0, k).reduce((a, s) => a + s[d], 0));
          const outShape = shape.map((v, i) => (i === d ? shapes.reduce((a, s) => a + s[d], 0) : v));
          return build(outShape, (i) => {
            let k = shapes.length - 1;
            while (starts[k] > i[d]) k--;
            return at(xs[k], i.map((v, j) => (j === d ? v - starts[k] : v)));
          });
        },
      };
    });
}

/** Pieces of split/chunk along a dim, as (start, length) pairs: the reference's own reading of PyTorch. */
function pieces(size: number, splitBy: number | number[]): [number, number][] {
  const lengths: number[] = [];
  if (typeof splitBy === 'number') for (let at = 0; at < size; at += splitBy) lengths.push(Math.min(splitBy, size - at));
  else lengths.push(...splitBy);
  if (lengths.length === 0) lengths.push(0);
  return lengths.map((len, k) => [lengths.slice(0, k).reduce((a, b) => a + b, 0), len]);
}

/** split/chunk: the case checks piece `k` of the result (each piece is a view with its own gradient). */
function pieceCases(kind: 'split' | 'chunk'): fc.Arbitrary<OpCase> {
  return shapeArb(1, 3, 4)
    .chain((shape) => {
      const dims = dimArb(shape.length);
      return fc.tuple(fc.constant(shape), dims, fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.nat());
    })
    .map(([shape, dim, n, asSizes, pick]) => {
      const d = normDim(dim, shape.length);
      const size = shape[d];
      // split by size n, by a list of sizes (n, then the rest), or chunk into n pieces.
      let splitBy: number | number[];
      if (kind === 'chunk') splitBy = Math.max(1, Math.ceil(size / n));
      else splitBy = asSizes ? [Math.min(n, size), size - Math.min(n, size)] : n;
      const list = pieces(size, splitBy);
      const k = pick % list.length;
      const [start, length] = list[k];
      const outShape = shape.map((s, i) => (i === d ? length : s));
      return gatherCase(
        `${kind === 'chunk' ? `chunks=${n}` : `by ${JSON.stringify(splitBy)}`} dim=${dim} piece ${k}`,
        shape,
        outShape,
        (x) => (kind === 'chunk' ? tg.chunk(x, n, dim) : tg.split(x, splitBy, dim))[k],
        (i) => i.map((v, j) => (j === d ? v + start : v)),
      );
    });
}

type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** The source position (or −1 for the constant) that pad mode `mode` reads for position j of a padded dim. */
function padSource(j: number, before: number, n: number, mode: PadMode): number {
  const i = j - before;
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'replicate') return i < 0 ? 0 : n - 1;
  if (mode === 'circular') return ((i % n) + n) % n;
  return i < 0 ? -i : 2 * (n - 1) - i;
}

function padCases(): fc.Arbitrary<OpCase> {
  return shapeArb(1, 3, 4)
    .chain((shape) => {
      const mode = fc.constantFrom<PadMode>('constant', 'reflect', 'replicate', 'circular');
      const pairs = fc.integer({ min: 1, max: shape.length });
      return fc.tuple(fc.constant(shape), mode, pairs, fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 2 * shape.length, maxLength: 2 * shape.length }));
    })
    .map(([shape, mode, pairCount, raw]) => {
      const pads = raw.slice(0, 2 * pairCount).map((p, k) => {
        const n = shape[shape.length - 1 - Math.floor(k / 2)];
        if (mode === 'constant') return Math.max(p, -Math.floor(n / 2));
        return Math.min(Math.max(p, 0), mode === 'reflect' ? n - 1 : n);
      });
      const value = mode === 'constant' ? 0.75 : undefined;
      const before = shape.map((_, d) => pads[2 * (shape.length - 1 - d)] ?? 0);
      const after = shape.map((_, d) => pads[2 * (shape.length - 1 - d) + 1] ?? 0);
      const outShape = shape.map((s, d) => s + before[d] + after[d]);
      return {
        label: `pads=${JSON.stringify(pads)} mode=${mode}`,
        inputs: [{ shape, domain: REAL }],
        call: ([x]: Tensor[]) => tg.pad(x, pads, { mode, ...(value === undefined ? {} : { value }) }),
        reference: ([x]: NdArray[]) =>
          build(outShape, (i) => {
            const src = i.map((j, d) => padSource(j, before[d], shape[d], mode));
            return src.includes(-1) ? (value ?? 0) : at(x, src);
          }),
      };
    });
}

const CAST_TOL = { eps: 1e-3, atol: 1e-3 };

/** A cast through float32: the reference rounds each value to float32. */
function roundingCase(shape: number[], label: string, call: (x: Tensor) => Tensor): OpCase {
  return { label, inputs: [{ shape, domain: REAL }], call: ([x]) => call(x), reference: ([x]) => map(x, Math.fround) };
}

const identity = (shape: number[], label: string, call: (x: Tensor) => Tensor): OpCase => gatherCase(label, shape, shape, call, (i) => i);

export const shapeEntries: OpEntry[] = [
  { name: 'reshape', differentiable: true, cases: reshapeCases((x, s, spread) => (spread ? tg.reshape(x, ...s) : tg.reshape(x, s))) },
  // A view needs a layout it can describe with strides: contiguous, or every-other-slot.
  { name: 'view', differentiable: true, layouts: ['contiguous', 'stepped'], cases: reshapeCases((x, s, spread) => (spread ? tg.view(x, ...s) : tg.view(x, s))) },
  {
    name: 'flatten',
    differentiable: true,
    cases: shapeArb()
      .chain((shape) => fc.tuple(fc.constant(shape), fc.option(fc.tuple(dimArb(Math.max(shape.length, 1)), dimArb(Math.max(shape.length, 1))), { nil: undefined })))
      .map(([shape, range]) => {
        const nd = shape.length;
        let outShape: number[];
        let call: (x: Tensor) => Tensor;
        if (range === undefined || nd === 0) {
          outShape = [sizeOf(shape)];
          call = (x) => tg.flatten(x);
        } else {
          const [s, e] = [normDim(range[0], nd), normDim(range[1], nd)].sort((a, b) => a - b);
          outShape = [...shape.slice(0, s), sizeOf(shape.slice(s, e + 1)), ...shape.slice(e + 1)];
          call = (x) => tg.flatten(x, s, e - nd);
        }
        return { label: `range=${JSON.stringify(range)}`, inputs: [{ shape, domain: REAL }], call: ([x]) => call(x), reference: ([x]) => reshaped(x, outShape) };
      }),
  },
  {
    name: 'squeeze',
    differentiable: true,
    cases: shapeArb(0, 4, 2)
      .chain((shape) => fc.tuple(fc.constant(shape), shape.length === 0 ? fc.constant(undefined) : fc.option(fc.oneof(dimArb(shape.length), fc.array(dimArb(shape.length), { minLength: 1, maxLength: 2 }).map((ds) => [...new Set(ds.map((d) => normDim(d, shape.length)))])), { nil: undefined })))
      .map(([shape, dim]) => {
        const listed = dim === undefined ? null : (typeof dim === 'number' ? [dim] : dim).map((d) => normDim(d, shape.length));
        const outShape = shape.filter((s, i) => s !== 1 || (listed !== null && !listed.includes(i)));
        return { label: `dim=${JSON.stringify(dim)}`, inputs: [{ shape, domain: REAL }], call: ([x]) => tg.squeeze(x, dim), reference: ([x]) => reshaped(x, outShape) };
      }),
  },
  {
    name: 'unsqueeze',
    differentiable: true,
    cases: shapeArb()
      .chain((shape) => fc.tuple(fc.constant(shape), dimArb(shape.length + 1)))
      .map(([shape, dim]) => {
        const outShape = [...shape];
        outShape.splice(normDim(dim, shape.length + 1), 0, 1);
        return { label: `dim=${dim}`, inputs: [{ shape, domain: REAL }], call: ([x]) => tg.unsqueeze(x, dim), reference: ([x]) => reshaped(x, outShape) };
      }),
  },
  {
    name: 'transpose',
    differentiable: true,
    cases: shapeArb(1, 4)
      .chain((shape) => fc.tuple(fc.constant(shape), dimArb(shape.length), dimArb(shape.length)))
      .map(([shape, d0, d1]) => {
        const [a, b] = [normDim(d0, shape.length), normDim(d1, shape.length)];
        const swap = (i: number[]) => i.map((v, k) => (k === a ? i[b] : k === b ? i[a] : v));
        return gatherCase(`dims ${d0},${d1}`, shape, swap(shape), (x) => tg.transpose(x, d0, d1), swap);
      }),
  },
  {
    name: 'permute',
    differentiable: true,
    cases: shapeArb(0, 4)
      .chain((shape) => fc.tuple(fc.constant(shape), permutationArb(shape.length), fc.boolean()))
      .map(([shape, perm, spread]) => {
        const inverse = new Array<number>(perm.length);
        perm.forEach((p, i) => (inverse[p] = i));
        return gatherCase(`dims ${JSON.stringify(perm)}`, shape, perm.map((p) => shape[p]), (x) => (spread ? tg.permute(x, ...perm) : tg.permute(x, perm)), (i) => inverse.map((k) => i[k]));
      }),
  },
  {
    name: 'T',
    differentiable: true,
    cases: shapeArb(0, 3).map((shape) => {
      const rev = (i: number[]) => [...i].reverse();
      return gatherCase('x.T', shape, rev(shape), (x) => x.T, rev);
    }),
  },
  {
    name: 'expand',
    differentiable: true,
    cases: shapeArb(0, 3, 2)
      .chain((shape) => fc.tuple(fc.constant(shape), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), fc.array(fc.integer({ min: -1, max: 3 }), { minLength: shape.length, maxLength: shape.length })))
      .map(([shape, lead, grow]) => {
        // A size-1 dim may grow to any size (or stay, −1); other dims stay (as themselves or −1).
        const own = shape.map((s, i) => (s === 1 ? (grow[i] === 0 ? 1 : grow[i]) : grow[i] === -1 ? -1 : s));
        const target = [...lead, ...own];
        const outShape = target.map((s, i) => (s === -1 ? shape[i - lead.length] : s));
        return gatherCase(`to ${JSON.stringify(target)}`, shape, outShape, (x) => tg.expand(x, target), (i) => i.slice(lead.length).map((v, d) => (shape[d] === 1 ? 0 : v)));
      }),
  },
  {
    name: 'narrow',
    differentiable: true,
    cases: shapeArb(1, 3, 4)
      .chain((shape) => fc.tuple(fc.constant(shape), dimArb(shape.length), fc.nat(), fc.nat(), fc.boolean()))
      .map(([shape, dim, s0, l0, negativeStart]) => {
        const size = shape[normDim(dim, shape.length)];
        const start = s0 % (size + 1);
        const length = l0 % (size - start + 1);
        const startArg = negativeStart && start < size ? start - size : start;
        const d = normDim(dim, shape.length);
        return gatherCase(`dim=${dim} start=${startArg} length=${length}`, shape, shape.map((v, i) => (i === d ? length : v)), (x) => tg.narrow(x, dim, startArg, length), (i) => i.map((v, k) => (k === d ? v + start : v)));
      }),
  },
  {
    name: 'slice',
    differentiable: true,
    cases: shapeArb(1, 3, 5)
      .chain((shape) => {
        const bound = fc.option(fc.integer({ min: -7, max: 7 }), { nil: undefined });
        return fc.tuple(fc.constant(shape), dimArb(shape.length), bound, bound, fc.integer({ min: 1, max: 3 }));
      })
      .map(([shape, dim, start, end, step]) => {
        const d = normDim(dim, shape.length);
        const picked = pythonSlice(shape[d], start, end, step);
        return gatherCase(`dim=${dim} [${start ?? ''}:${end ?? ''}:${step}]`, shape, shape.map((v, i) => (i === d ? picked.length : v)), (x) => tg.slice(x, dim, start, end, step), (i) => i.map((v, k) => (k === d ? picked[v] : v)));
      }),
  },
  {
    name: 'repeat',
    differentiable: true,
    cases: shapeArb(0, 2)
      .chain((shape) => fc.tuple(fc.constant(shape), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: shape.length, maxLength: shape.length + 1 }), fc.boolean()))
      .map(([shape, times, spread]) => {
        const lead = times.length - shape.length;
        const padded = [...new Array<number>(lead).fill(1), ...shape];
        return gatherCase(`times=${JSON.stringify(times)}`, shape, times.map((t, i) => t * padded[i]), (x) => (spread ? tg.repeat(x, ...times) : tg.repeat(x, times)), (i) => i.slice(lead).map((v, d) => v % shape[d]));
      }),
  },
  { name: 'cat', differentiable: true, cases: joinCases('cat') },
  { name: 'stack', differentiable: true, cases: joinCases('stack') },
  { name: 'split', differentiable: true, cases: pieceCases('split') },
  { name: 'chunk', differentiable: true, cases: pieceCases('chunk') },
  { name: 'pad', differentiable: true, cases: padCases() },
  { name: 'clone', differentiable: true, cases: shapeArb().map((s) => identity(s, '', tg.clone)) },
  { name: 'contiguous', differentiable: true, cases: shapeArb().map((s) => identity(s, '', tg.contiguous)) },
  { name: 'detach', differentiable: false, cases: shapeArb().map((s) => identity(s, '', tg.detach)) },
  // Casts through float32 round each value to float32; their finite differences need a large eps.
  { name: 'to', differentiable: true, result: 'float32', gradcheck: CAST_TOL, cases: shapeArb().map((s) => roundingCase(s, "to('float32')", (x) => tg.to(x, 'float32'))) },
  { name: 'float', differentiable: true, result: 'float32', gradcheck: CAST_TOL, cases: shapeArb().map((s) => roundingCase(s, 'x.float()', (x) => x.float())) },
  { name: 'double', differentiable: true, result: 'float64', gradcheck: CAST_TOL, cases: shapeArb().map((s) => roundingCase(s, 'x.float().double()', (x) => x.float().double())) },
];
