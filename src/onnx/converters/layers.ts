/**
 * The ops behind layers: matmul, convolution, pooling, normalisation, lookups and softmax.
 *
 * Windows (Conv, MaxPool, AveragePool) get explicit begin/end pads. tsgrad keeps the begin pad
 * and the output size; ONNX's output is ⌊(in + begin + end − span)/stride⌋ + 1, so the end pad
 * is the begin pad when that already gives tsgrad's size (symmetric padding) and otherwise the
 * smallest end pad that does ('same' padding, max pooling in ceil mode: the extra −∞ padding
 * never wins a max, as every window holds an input element).
 */
import { OnnxExportError } from '../errors.js';
import { ShapeError } from '../../errors.js';
import { ones, zeros } from '../../tensor/creation.js';
import type { Conv2dGeometry } from '../../autograd/functions/conv.js';
import type { MaxPool2dSpec } from '../../kernels/pool2d-max.js';
import type { AxisTaps } from '../../kernels/interpolate.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Converter, ConvertContext } from './context.js';

/** The end pad that makes ONNX's floor-mode output size equal `out`. */
function endPad(size: number, begin: number, span: number, stride: number, out: number): number {
  const onnxOut = (end: number) => Math.floor((size + begin + end - span) / stride) + 1;
  if (onnxOut(begin) === out) return begin;
  return Math.max(0, (out - 1) * stride + span - size - begin);
}

function conv2d(c: ConvertContext): string {
  const x = c.tensor(0);
  const w = c.tensor(1);
  const geom = c.arg<Conv2dGeometry>(2);
  const [outH, outW] = c.arg<number[]>(3);
  const [kH, kW] = [w.shape[2], w.shape[3]];
  const spanH = geom.dilation[0] * (kH - 1) + 1;
  const spanW = geom.dilation[1] * (kW - 1) + 1;
  const pads = [
    geom.padding[0], geom.padding[1],
    endPad(x.shape[2], geom.padding[0], spanH, geom.stride[0], outH),
    endPad(x.shape[3], geom.padding[1], spanW, geom.stride[1], outW),
  ];
  return c.graph.node('Conv', [c.input(0), c.input(1)], {
    kernel_shape: { ints: [kH, kW] },
    strides: { ints: [...geom.stride] },
    dilations: { ints: [...geom.dilation] },
    pads: { ints: pads },
    group: { int: geom.groups },
  });
}

/**
 * Transposed convolution (the input gradient of conv2d; weight [Cin, Cout/groups, kH, kW], the
 * layout ONNX's ConvTranspose takes). ONNX's output is stride·(in − 1) + output_padding + span −
 * 2·pad, so output_padding is whatever makes that tsgrad's size.
 */
function convTranspose2d(c: ConvertContext): string {
  const x = c.tensor(0);
  const w = c.tensor(1);
  const geom = c.arg<Conv2dGeometry>(2);
  const outSize = c.arg<number[]>(3);
  const kernel = [w.shape[2], w.shape[3]];
  const outputPadding = [0, 1].map((d) => {
    const span = geom.dilation[d] * (kernel[d] - 1) + 1;
    return outSize[d + 2] - (geom.stride[d] * (x.shape[d + 2] - 1) + span - 2 * geom.padding[d]);
  });
  return c.graph.node('ConvTranspose', [c.input(0), c.input(1)], {
    kernel_shape: { ints: kernel },
    strides: { ints: [...geom.stride] },
    dilations: { ints: [...geom.dilation] },
    pads: { ints: [geom.padding[0], geom.padding[1], geom.padding[0], geom.padding[1]] },
    output_padding: { ints: outputPadding },
    group: { int: geom.groups },
  });
}

/**
 * Resampling (Upsample, interpolate: nearest or bilinear) by per-axis taps: each output row i
 * reads input rows index0[i], index1[i] with weights weight0[i], weight1[i]. That is separable,
 * y = A_H · x · A_Wᵀ with A[i, index0[i]] += weight0[i], A[i, index1[i]] += weight1[i]: two
 * MatMuls with constant matrices, exact for every mode tsgrad has.
 */
function interpolate2d(c: ConvertContext): string {
  const g = c.graph;
  const dtype = c.tensor(0).dtype;
  const matrix = (t: AxisTaps, transposed: boolean): Tensor => {
    const rows = t.index0.length;
    const data = new Float64Array(rows * t.inSize);
    for (let i = 0; i < rows; i++) {
      const at = (k: number) => (transposed ? k * rows + i : i * t.inSize + k);
      data[at(t.index0[i])] += t.weight0[i];
      data[at(t.index1[i])] += t.weight1[i];
    }
    return new Tensor(data, transposed ? [t.inSize, rows] : [rows, t.inSize], { dtype: 'float64' }).to(dtype);
  };
  const alongH = g.node('MatMul', [g.constant(matrix(c.arg<AxisTaps>(1), false), 'resample_h'), c.input(0)]);
  return g.node('MatMul', [alongH, g.constant(matrix(c.arg<AxisTaps>(2), true), 'resample_w')]);
}

function poolAttributes(spec: MaxPool2dSpec, dilated: boolean) {
  const dH = spec.dilationH ?? 1;
  const dW = spec.dilationW ?? 1;
  const spanH = dH * (spec.kH - 1) + 1;
  const spanW = dW * (spec.kW - 1) + 1;
  const pads = [
    spec.padTop, spec.padLeft,
    endPad(spec.inH, spec.padTop, spanH, spec.strideH, spec.outH),
    endPad(spec.inW, spec.padLeft, spanW, spec.strideW, spec.outW),
  ];
  return {
    kernel_shape: { ints: [spec.kH, spec.kW] },
    strides: { ints: [spec.strideH, spec.strideW] },
    pads: { ints: pads },
    ...(dilated ? { dilations: { ints: [dH, dW] } } : {}),
  };
}

function avgPool2d(c: ConvertContext): string {
  const spec = c.arg<MaxPool2dSpec>(1);
  const attrs = poolAttributes(spec, false);
  // An extra end pad would change the divisor of the windows it touches.
  if (attrs.pads.ints[2] !== spec.padTop || attrs.pads.ints[3] !== spec.padLeft) {
    throw new ShapeError(`exportOnnx: ${c.opName}: average pooling whose output size needs asymmetric padding has no exact ONNX AveragePool`);
  }
  return c.graph.node('AveragePool', [c.input(0)], { ...attrs, count_include_pad: { int: c.arg<boolean>(2) ? 1 : 0 } });
}

function layerNorm(c: ConvertContext): string {
  const x = c.tensor(0);
  const weight = c.call.args[1];
  const rowLength = c.arg<number>(3);
  const eps = c.arg<number>(4);
  // The normalised dims are the trailing ones whose sizes multiply to the row length.
  let axis = x.ndim;
  let product = 1;
  while (axis > 0 && product < rowLength) product *= x.shape[--axis];
  if (product !== rowLength) throw new ShapeError(`exportOnnx: ${c.opName}: rows of ${rowLength} elements do not end at a dim of shape [${x.shape.join(', ')}]`);
  const g = c.graph;
  const scale = weight ? c.input(1) : g.constant(ones(x.shape.slice(axis), { dtype: x.dtype }), 'layer_norm_scale');
  const inputs = [c.input(0), scale];
  if (c.call.args[2]) inputs.push(c.input(2));
  return g.node('LayerNormalization', inputs, { axis: { int: axis - x.ndim }, epsilon: { float: eps } });
}

/** Eval-mode batch norm, fused from its plain ops (fuse-batch-norm.ts): [x, mean, var, weight, bias, ε]. */
function batchNormEval(c: ConvertContext): string {
  const g = c.graph;
  const mean = c.tensor(1);
  const scale = c.call.args[3] ? c.input(3) : g.constant(ones([...mean.shape], { dtype: mean.dtype }), 'batch_norm_scale');
  const shift = c.call.args[4] ? c.input(4) : g.constant(zeros([...mean.shape], { dtype: mean.dtype }), 'batch_norm_bias');
  return g.node('BatchNormalization', [c.input(0), scale, shift, c.input(1), c.input(2)], { epsilon: { float: c.arg<number>(5) } });
}

function softmax(opType: string): Converter {
  return (c) => c.graph.node(opType, [c.input(0)], { axis: { int: c.fixed(1, 'the dim') } });
}

function refuseTrainingBatchNorm(c: ConvertContext): string {
  throw new OnnxExportError(`exportOnnx: ${c.opName}: batch normalisation ran in training mode (batch statistics); call model.eval() before exporting so it uses the running statistics`);
}

/** The layer-op converters, by op class name. */
export const layerConverters: Readonly<Record<string, Converter>> = {
  MatMul: (c) => c.graph.node('MatMul', [c.input(0), c.input(1)]),
  Conv2d: conv2d,
  Conv2dInputGrad: convTranspose2d,
  Interpolate2d: interpolate2d,
  MaxPool2d: (c) => c.graph.node('MaxPool', [c.input(0)], poolAttributes(c.arg<MaxPool2dSpec>(1), true)),
  AvgPool2d: avgPool2d,
  LayerNormRows: layerNorm,
  Softmax: softmax('Softmax'),
  LogSoftmax: softmax('LogSoftmax'),
  EmbeddingLookup: (c) => c.graph.node('Gather', [c.input(0), c.input(1)], { axis: { int: 0 } }),
  IndexSelect: (c) => c.graph.node('Gather', [c.input(0), c.input(2)], { axis: { int: c.fixed(1, 'the dim') } }),
  Gather: (c) => c.graph.node('GatherElements', [c.input(0), c.input(2)], { axis: { int: c.fixed(1, 'the dim') } }),
  BatchNormTraining: refuseTrainingBatchNorm,
  BatchNormEval: batchNormEval,
};
