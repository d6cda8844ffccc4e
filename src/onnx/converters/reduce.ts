/**
 * Reductions. The variance has no ONNX op: Σ(x − mean)²/(n − correction), with n the number of
 * elements reduced (fixed: a reduction over a dynamic axis would need n at run time).
 */
import { OnnxExportError } from '../errors.js';
import type { Converter, ConvertContext } from './context.js';

function variance(c: ConvertContext): string {
  const g = c.graph;
  const x = c.tensor(0);
  const dims = c.arg<number[]>(1);
  const correction = c.arg<number>(2);
  const keepdim = c.arg<boolean>(3);
  const axes = dims.length === 0 ? x.shape.map((_, i) => i) : dims;
  let n = 1;
  for (const a of axes) {
    const d = c.dim(x.shape[a], c.otherTensor(0).shape[a], `reduced dim ${a}`);
    if (!('fixed' in d)) throw new OnnxExportError(`exportOnnx: ${c.opName}: a variance over a dynamic axis (dim ${a}) is not supported`);
    n *= d.fixed;
  }
  const centred = g.node('Sub', [c.input(0), g.reduce('ReduceMean', c.input(0), axes, true)]);
  const squares = g.reduce('ReduceSum', g.node('Mul', [centred, centred]), axes, keepdim);
  return g.node('Div', [squares, g.scalar(n - correction, x.dtype)]);
}

/** Reduction over the listed dims (tsgrad passes them sorted; the empty list reduces nothing). */
function reduceOver(opType: string): Converter {
  return (c) => {
    const dims = c.arg<number[]>(1);
    if (dims.length === 0) return c.graph.node('Identity', [c.input(0)]);
    return c.graph.reduce(opType, c.input(0), dims, c.arg<boolean>(2));
  };
}

/** The reduction converters, by op class name. */
export const reduceConverters: Readonly<Record<string, Converter>> = {
  Sum: reduceOver('ReduceSum'),
  LogSumExp: reduceOver('ReduceLogSumExp'),
  Var: variance,
  ExtremumAll: (c) => c.graph.reduce(c.arg<boolean>(1) ? 'ReduceMax' : 'ReduceMin', c.input(0), c.tensor(0).shape.map((_, i) => i), false),
};
