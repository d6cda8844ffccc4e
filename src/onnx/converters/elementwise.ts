/**
 * Elementwise ops and activations. ONNX's binary ops want both operands in one element type,
 * so operands are cast to the output's dtype where tsgrad promoted them. Activations ONNX
 * lacks at opset 17 are written with the ops it has:
 *   GELU (exact) = ½x(1 + erf(x/√2)),  GELU (tanh) = ½x(1 + tanh(√(2/π)(x + 0.044715x³))),
 *   SiLU = x·σ(x),  softplus_β(x) = softplus(βx)/β,  rsqrt(x) = 1/√x.
 */
import type { Converter, ConvertContext } from './context.js';

/** A binary op whose operands are cast to the output's dtype. */
function binary(opType: string): Converter {
  return (c) => c.graph.node(opType, [c.inputAs(0, c.output.dtype), c.inputAs(1, c.output.dtype)]);
}

/** A unary op with the same ONNX name. */
function unary(opType: string): Converter {
  return (c) => c.graph.node(opType, [c.input(0)]);
}

function gelu(c: ConvertContext): string {
  const g = c.graph;
  const dtype = c.output.dtype;
  const x = c.input(0);
  const tanhForm = c.arg<string>(1) === 'tanh';
  if (g.opset >= 20) return g.node('Gelu', [x], { approximate: { string: tanhForm ? 'tanh' : 'none' } });
  let inner: string;
  if (tanhForm) {
    const cube = g.node('Mul', [g.node('Mul', [x, x]), x]);
    const arg = g.node('Mul', [g.node('Add', [x, g.node('Mul', [cube, g.scalar(0.044715, dtype)])]), g.scalar(Math.sqrt(2 / Math.PI), dtype)]);
    inner = g.node('Tanh', [arg]);
  } else {
    inner = g.node('Erf', [g.node('Mul', [x, g.scalar(Math.SQRT1_2, dtype)])]);
  }
  return g.node('Mul', [g.node('Mul', [x, g.scalar(0.5, dtype)]), g.node('Add', [inner, g.scalar(1, dtype)])]);
}

function softplus(c: ConvertContext): string {
  const g = c.graph;
  const beta = c.arg<number>(1);
  // ONNX's Softplus is log(1 + eˣ) without a threshold: above it tsgrad returns x, which
  // log(1 + eˣ) equals to within e^(−threshold) (2·10⁻⁹ at the default 20).
  if (beta === 1) return g.node('Softplus', [c.input(0)]);
  const scaled = g.node('Mul', [c.input(0), g.scalar(beta, c.output.dtype)]);
  return g.node('Div', [g.node('Softplus', [scaled]), g.scalar(beta, c.output.dtype)]);
}

function clamp(c: ConvertContext): string {
  const g = c.graph;
  const lo = c.arg<number>(1);
  const hi = c.arg<number>(2);
  const dtype = c.output.dtype;
  const x = c.inputAs(0, dtype);
  const inputs = [x, lo === -Infinity ? '' : g.scalar(lo, dtype)];
  if (hi !== Infinity) inputs.push(g.scalar(hi, dtype));
  return g.node('Clip', inputs);
}

function where(c: ConvertContext): string {
  const dtype = c.output.dtype;
  return c.graph.node('Where', [c.inputAs(0, 'bool'), c.inputAs(1, dtype), c.inputAs(2, dtype)]);
}

/** The elementwise converters, by op class name. */
export const elementwiseConverters: Readonly<Record<string, Converter>> = {
  Add: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Div: binary('Div'),
  Pow: binary('Pow'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Where: where,
  Neg: unary('Neg'),
  Abs: unary('Abs'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Sqrt: unary('Sqrt'),
  Rsqrt: (c) => c.graph.node('Reciprocal', [c.graph.node('Sqrt', [c.input(0)])]),
  Sin: unary('Sin'),
  Cos: unary('Cos'),
  Tanh: unary('Tanh'),
  Sigmoid: unary('Sigmoid'),
  Erf: unary('Erf'),
  Relu: unary('Relu'),
  LeakyRelu: (c) => c.graph.node('LeakyRelu', [c.input(0)], { alpha: { float: c.arg<number>(1) } }),
  Elu: (c) => c.graph.node('Elu', [c.input(0)], { alpha: { float: c.arg<number>(1) } }),
  Gelu: gelu,
  Silu: (c) => c.graph.node('Mul', [c.input(0), c.graph.node('Sigmoid', [c.input(0)])]),
  Softplus: softplus,
  Clamp: clamp,
  ToFloat: (c) => c.inputAs(0, c.output.dtype),
  Clone: (c) => c.graph.node('Identity', [c.input(0)]),
};
