/**
 * Tensors no recorded op made — parameters, buffers and constants — as ONNX values.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { DimResolver } from './dynamic-axes.js';
import { OnnxExportError } from './errors.js';
import type { OnnxGraphBuilder } from './graph-builder.js';

/**
 * The value for leaf `t` (`other`: the same leaf in the pass at another batch size): an
 * initializer under its state-dict name for a parameter or buffer, else a constant. A constant
 * whose shape follows the batch is fine when it is one value throughout (zeros as a recurrent
 * layer's default state): it is expanded to the shape at run time. Anything else would bake one
 * batch's values into the file, and is refused.
 */
export function leafValue(graph: OnnxGraphBuilder, t: Tensor, other: Tensor, stateName: string | undefined, resolver: DimResolver): string {
  if (stateName !== undefined) return graph.initializer(graph.reserve(stateName), t);
  if (t.shape.length === other.shape.length && t.shape.every((s, i) => s === other.shape[i])) return graph.constant(t);
  const values = t.toTypedArray();
  const fill = values.length > 0 ? values[0] : 0;
  if (!values.every((v) => v === fill)) {
    throw new OnnxExportError(`exportOnnx: a tensor made outside the recorded ops (shape [${t.shape.join(', ')}], [${other.shape.join(', ')}] at another batch size) depends on the batch size and holds varying values; it cannot be written as a constant. Build it from the input with tensor ops, or pass dynamicAxes: {}`);
  }
  const dims = resolver.dims(t.shape, other.shape, () => `a filled tensor of shape [${t.shape.join(', ')}]`);
  return graph.node('Expand', [graph.scalar(fill, t.dtype), graph.shape(dims)]);
}
