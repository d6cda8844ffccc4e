/**
 * Dynamic axes without guessing. The model is traced twice: once on the sample inputs and once
 * on inputs whose dynamic axes are longer (symbol j grown by j + 1 entries, repeating the
 * sample's own entries so that indices stay valid). A size that is the same in both passes is
 * fixed; a size that changed is `factor` times one dynamic input axis (the batch, or the batch
 * merged with other dims), and is read from that input when the exported graph runs — so a
 * Reshape never bakes in the batch size it was traced with.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor/tensor.js';
import type { Dim } from './graph-builder.js';

/** Per graph input or output name: its dynamic axes, as `{ axis: symbolName }` or a list of axes (named `${name}_dim${axis}`). */
export type DynamicAxes = Readonly<Record<string, Readonly<Record<number, string>> | readonly number[]>>;

/** One dynamic axis of one graph input. */
export interface InputAxis {
  /** The graph input's name. */
  readonly input: string;
  readonly axis: number;
  /** Its size in the first and in the second trace. */
  readonly sizes: readonly [number, number];
}

/** Normalised axes of one name: axis → symbol. */
export function axesOf(name: string, rank: number, spec: DynamicAxes[string] | undefined): Map<number, string> {
  const out = new Map<number, string>();
  if (spec === undefined) return out;
  const entries: [number, string][] = Array.isArray(spec)
    ? (spec as readonly number[]).map((a) => [a, `${name}_dim${a}`])
    : Object.entries(spec).map(([a, s]) => [Number(a), s as string]);
  for (const [axis, symbol] of entries) {
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank) throw new ShapeError(`exportOnnx: dynamic axis ${axis} of '${name}' is out of range for rank ${rank}`);
    if (typeof symbol !== 'string' || symbol === '') throw new TypeError(`exportOnnx: dynamic axis ${axis} of '${name}' needs a symbol name (a non-empty string), got ${String(symbol)}`);
    out.set(axis, symbol);
  }
  return out;
}

/** How much longer each symbol is in the second trace: the j-th symbol by j + 1. */
export function growthOf(symbols: Iterable<string>): Map<string, number> {
  const growth = new Map<string, number>();
  for (const s of symbols) if (!growth.has(s)) growth.set(s, growth.size + 1);
  return growth;
}

/** `x` with each dynamic axis grown by its symbol's growth, repeating x's own entries along it. */
export function grownInput(x: Tensor, axes: ReadonlyMap<number, string>, growth: ReadonlyMap<string, number>): Tensor {
  return noGrad(() => {
    let out = x;
    for (const [axis, symbol] of axes) {
      const size = out.shape[axis];
      if (size === 0) throw new ShapeError(`exportOnnx: dynamic axis ${axis} of a sample input of shape ${fmtShape(x.shape)} is empty`);
      const length = size + (growth.get(symbol) as number);
      const index = new Tensor(Int32Array.from({ length }, (_, i) => i % size), [length]);
      out = out.indexSelect(axis, index);
    }
    return out;
  });
}

/** Resolves sizes seen in the two traces into fixed or dynamic dims. */
export class DimResolver {
  /** @param axes Every dynamic axis of every graph input. */
  constructor(private readonly axes: readonly InputAxis[]) {}

  /** One size: fixed when both traces agree, else factor × the input axis it scales with. */
  dim(first: number, second: number, what: () => string): Dim {
    if (first === second) return { fixed: first };
    for (const a of this.axes) {
      const [s1, s2] = a.sizes;
      if (first * s2 === second * s1 && first % s1 === 0) return { input: a.input, axis: a.axis, factor: first / s1 };
    }
    throw new ShapeError(`exportOnnx: ${what()} has size ${first} at the traced batch size and ${second} at another; it is not a multiple of one dynamic input axis, so it cannot be exported with dynamic axes (pass dynamicAxes: {} for fixed shapes)`);
  }

  /** A whole shape, dim by dim. */
  dims(first: readonly number[], second: readonly number[], what: () => string): Dim[] {
    if (first.length !== second.length) throw new ShapeError(`exportOnnx: ${what()} has rank ${first.length} at one batch size and ${second.length} at another`);
    return first.map((s, i) => this.dim(s, second[i], () => `dim ${i} of ${what()}`));
  }
}
