/**
 * Shape ops. Sizes that follow the batch are never baked in: a Reshape target with one dynamic
 * dim writes −1 there, with more it is computed from the input's Shape; an Expand keeps a
 * dynamic dim the input already has by writing 1 (ONNX's Expand broadcasts both ways) and
 * computes the others; a Slice to the end of a dynamic dim runs to INT64_MAX.
 */
import { OnnxExportError } from '../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Dim } from '../graph-builder.js';
import type { Converter, ConvertContext } from './context.js';

const toTheEnd = Number.MAX_SAFE_INTEGER;

function reshape(c: ConvertContext): string {
  const dims = c.shapeArg(1, 'target shape');
  const dynamic = dims.filter((d) => !('fixed' in d)).length;
  const target = dynamic === 1 ? dims.map((d): Dim => ('fixed' in d ? d : { fixed: -1 })) : dims;
  return c.graph.node('Reshape', [c.input(0), c.graph.shape(target)]);
}

function expand(c: ConvertContext): string {
  const dims = c.shapeArg(1, 'target shape');
  const x = c.tensor(0);
  const xOther = c.otherTensor(0);
  const lead = dims.length - x.ndim;
  // A dim the input already has at full size (dynamic or not, or −1: "keep") is written as 1:
  // broadcasting keeps it.
  const target = dims.map((d, i): Dim => {
    if (i >= lead && 'fixed' in d && d.fixed === -1) return { fixed: 1 };
    if (i < lead || 'fixed' in d) return d;
    const own = c.dim(x.shape[i - lead], xOther.shape[i - lead], `input dim ${i - lead}`);
    return 'fixed' in own ? d : { fixed: 1 };
  });
  return c.graph.node('Expand', [c.input(0), c.graph.shape(target)]);
}

function slice(c: ConvertContext): string {
  const x = c.tensor(0);
  const dim = c.fixed(1, 'the dim');
  const step = c.fixed(4, 'the step');
  const start = c.arg<number>(2);
  const end = c.arg<number>(3);
  const otherStart = c.other.args[2] as number;
  const otherEnd = c.other.args[3] as number;
  const size = x.shape[dim];
  const otherSize = c.otherTensor(0).shape[dim];
  if (start !== otherStart) throw new OnnxExportError(`exportOnnx: ${c.opName}: the slice start along dim ${dim} changes with the batch size (${start} vs ${otherStart})`);
  let stop = end;
  if (end !== otherEnd) {
    if (end !== size || otherEnd !== otherSize) {
      throw new OnnxExportError(`exportOnnx: ${c.opName}: the slice end along dim ${dim} changes with the batch size (${end} vs ${otherEnd}) and is not the dim's end`);
    }
    stop = toTheEnd;
  }
  const g = c.graph;
  return g.node('Slice', [c.input(0), g.int64s([start]), g.int64s([stop]), g.int64s([dim]), g.int64s([step])]);
}

function cat(c: ConvertContext): string {
  const dtype = c.output.dtype;
  const inputs: string[] = [];
  c.call.args.forEach((a, i) => {
    if (a instanceof Tensor) inputs.push(c.inputAs(i, dtype));
  });
  return c.graph.node('Concat', inputs, { axis: { int: c.fixed(0, 'the dim') } });
}

/** The shape converters, by op class name. */
export const shapeConverters: Readonly<Record<string, Converter>> = {
  Reshape: reshape,
  Permute: (c) => c.graph.node('Transpose', [c.input(0)], { perm: { ints: c.arg<number[]>(1) } }),
  Expand: expand,
  Slice: slice,
  Cat: cat,
};
