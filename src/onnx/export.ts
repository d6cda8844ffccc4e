/**
 * `exportOnnx(model, sampleInputs, opts)`: the model as an ONNX file (opset 17 by default).
 *
 * 1. Trace: one forward pass on the sample inputs with the tracing hook on, which keeps every op
 *    call with all its arguments; and, when axes are dynamic, a second pass on the inputs grown
 *    along those axes, so that sizes which follow the batch are told apart from fixed ones
 *    (dynamic-axes.ts).
 * 2. Walk back from the outputs, as backward walks the autograd graph, into the order the ops
 *    ran; fuse eval-mode batch norm's plain ops into one BatchNormalization (fuse-batch-norm.ts).
 * 3. Leaves become graph inputs (the sample inputs), initializers named as in the state dict
 *    (parameters and buffers) or constants (leaves.ts); each op call becomes ONNX nodes through
 *    its converter (converters/).
 */
import { Tensor } from '../tensor/tensor.js';
import { BatchNorm1d, BatchNorm2d } from '../nn/batch-norm.js';
import { Dropout } from '../nn/dropout.js';
import { Module } from '../nn/module.js';
import { checkOptions } from '../options.js';
import { ConvertContext } from './converters/context.js';
import { converterFor } from './converters/index.js';
import { axesOf, DimResolver, grownInput, growthOf, type DynamicAxes, type InputAxis } from './dynamic-axes.js';
import { OnnxGraphBuilder } from './graph-builder.js';
import { encodeModel, valueInfo } from './proto.js';
import { traceForward, walkTraces, type Trace, type Traceable } from './trace.js';
import { OnnxExportError } from './errors.js';
import { fuseBatchNorm } from './fuse-batch-norm.js';
import { leafValue } from './leaves.js';

/** Options of `exportOnnx`. */
export interface ExportOnnxOptions {
  /** Names of the graph inputs, one per sample input (default `input`, or `input_0`, `input_1`, …). */
  inputNames?: readonly string[];
  /** Names of the graph outputs, one per output tensor (default `output`, or `output_0`, …). */
  outputNames?: readonly string[];
  /**
   * Dynamic axes by input/output name: `{ input: { 0: 'batch' } }` or `{ input: [0] }`. Default:
   * axis 0 of every input is `batch`; `{}` exports fixed shapes. An output not listed gets the
   * name of the input axis each of its dims follows (axis 0 is `batch` for the usual model,
   * axis 1 for an LSTM's final states).
   */
  dynamicAxes?: DynamicAxes;
  /** The ONNX opset, 17 to 21 (default 17: LayerNormalization needs 17). */
  opset?: number;
}

/** A model with named parameters and buffers (a Module): their names become the initializers'. */
interface NamedTensors {
  namedParameters(): [string, Tensor][];
  namedBuffers(): [string, Tensor][];
}

function hasNamedTensors(model: object): model is NamedTensors {
  const m = model as Partial<NamedTensors>;
  return typeof m.namedParameters === 'function' && typeof m.namedBuffers === 'function';
}

/**
 * The first module whose training-mode behaviour would be baked into the file, described for
 * the error: a Dropout with p > 0 or a layer with a `dropout` rate (attention, stacked RNNs) —
 * one random mask — or a batch norm, which would normalise by the traced batch's statistics.
 */
function trainingOnly(model: Traceable): string | null {
  if (!(model instanceof Module)) return null;
  for (const [path, m] of model.namedModules()) {
    if (!m.training) continue;
    const where = `${path === '' ? 'the model' : `'${path}'`} (${m.constructor.name})`;
    if (m instanceof BatchNorm1d || m instanceof BatchNorm2d) return `${where} is in training mode: batch normalisation would use the batch's statistics`;
    const rate = m instanceof Dropout ? m.p : (m as { dropout?: unknown }).dropout;
    if (typeof rate === 'number' && rate > 0) return `${where} is in training mode and drops at random (dropout ${rate})`;
  }
  return null;
}

function defaultNames(base: string, count: number): string[] {
  return count === 1 ? [base] : Array.from({ length: count }, (_, i) => `${base}_${i}`);
}

function checkNames(what: string, names: readonly string[] | undefined, count: number): string[] | null {
  if (names === undefined) return null;
  if (!Array.isArray(names) || names.length !== count || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new OnnxExportError(`exportOnnx: ${what} must be ${count} non-empty string${count === 1 ? '' : 's'}, got ${JSON.stringify(names)}`);
  }
  if (new Set(names).size !== names.length) throw new OnnxExportError(`exportOnnx: ${what} repeat a name: ${names.join(', ')}`);
  return [...names];
}

/**
 * The ONNX model (serialized ModelProto bytes) computing `model.forward(...sampleInputs)`:
 * parameters and buffers as initializers under their state-dict names, named inputs and
 * outputs, and dynamic axes (default: the batch, axis 0). Put the model in eval mode first: a
 * dropout or batch norm in training mode is refused. Throws an `OnnxExportError` naming the op
 * when the forward runs an op with no ONNX mapping.
 *
 * @example const bytes = exportOnnx(model, [randn([1, 784])], { inputNames: ['pixels'] })
 */
export function exportOnnx(model: Traceable, sampleInputs: readonly Tensor[], opts: ExportOnnxOptions = {}): Uint8Array {
  checkOptions('exportOnnx', opts, ['inputNames', 'outputNames', 'dynamicAxes', 'opset']);
  if (model === null || typeof model !== 'object' || typeof model.forward !== 'function') {
    throw new TypeError('exportOnnx: expected a model with a forward method (an nn.Module)');
  }
  if (!Array.isArray(sampleInputs) || sampleInputs.length === 0 || sampleInputs.some((t) => !(t instanceof Tensor))) {
    throw new TypeError('exportOnnx: sampleInputs must be a non-empty array of tensors, one per forward argument');
  }
  const opset = opts.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 17 || opset > 21) throw new OnnxExportError(`exportOnnx: opset must be an integer from 17 to 21, got ${opset}`);
  const inputNames = checkNames('inputNames', opts.inputNames, sampleInputs.length) ?? defaultNames('input', sampleInputs.length);

  const training = trainingOnly(model);
  if (training !== null) throw new OnnxExportError(`exportOnnx: ${training}; call model.eval() before exporting`);

  const first = traceForward(model, sampleInputs);
  const outputNames = checkNames('outputNames', opts.outputNames, first.outputs.length) ?? defaultNames('output', first.outputs.length);
  for (const name of Object.keys(opts.dynamicAxes ?? {})) {
    if (!inputNames.includes(name) && !outputNames.includes(name)) {
      throw new OnnxExportError(`exportOnnx: dynamicAxes names '${name}', which is neither an input (${inputNames.join(', ')}) nor an output (${outputNames.join(', ')})`);
    }
  }
  const inputAxes = sampleInputs.map((t, i) =>
    axesOf(inputNames[i], t.ndim, opts.dynamicAxes === undefined ? (t.ndim > 0 ? { 0: 'batch' } : undefined) : opts.dynamicAxes[inputNames[i]]));
  const declaredOutputAxes = first.outputs.map((t, i) => (opts.dynamicAxes?.[outputNames[i]] === undefined ? null : axesOf(outputNames[i], t.ndim, opts.dynamicAxes[outputNames[i]])));
  const outputAxes = declaredOutputAxes.filter((axes): axes is Map<number, string> => axes !== null);

  const growth = growthOf(inputAxes.flatMap((axes) => [...axes.values()]));
  for (const axes of outputAxes) {
    for (const [axis, symbol] of axes) {
      if (!growth.has(symbol)) throw new OnnxExportError(`exportOnnx: output axis ${axis} is named '${symbol}', which no input axis is; a dynamic output axis must follow an input's`);
    }
  }
  let second: Trace = first;
  if (growth.size > 0) {
    second = traceForward(model, sampleInputs.map((t, i) => grownInput(t, inputAxes[i], growth)));
    if (second.outputs.length !== first.outputs.length) throw new OnnxExportError('exportOnnx: the model returns a different number of outputs for another batch size');
  }
  const dynamicInputAxes: InputAxis[] = inputAxes.flatMap((axes, i) =>
    [...axes.keys()].map((axis) => ({ input: inputNames[i], axis, sizes: [sampleInputs[i].shape[axis], second.inputs[i].shape[axis]] as const })),
  );
  const resolver = new DimResolver(dynamicInputAxes);

  const graph = new OnnxGraphBuilder(opset);
  const names = new Map<Tensor, string>();
  sampleInputs.forEach((t, i) => names.set(t, graph.reserve(inputNames[i])));
  for (const name of outputNames) graph.reserve(name);
  const stateNames = new Map<Tensor, string>();
  if (hasNamedTensors(model)) for (const [name, t] of [...model.namedParameters(), ...model.namedBuffers()]) stateNames.set(t, name);

  const walked = walkTraces(first, second);
  const calls = fuseBatchNorm(walked.calls, first.outputs, (t) => stateNames.has(t));
  // Leaves only the fused-away ops read (a batch norm's ε) are left out.
  const read = new Set<Tensor>(first.outputs);
  for (const { first: call } of calls) for (const a of call.args) if (a instanceof Tensor) read.add(a);
  for (const { first: t, second: other } of walked.leaves) {
    if (!names.has(t) && read.has(t)) names.set(t, leafValue(graph, t, other, stateNames.get(t), resolver));
  }
  for (const { first: call, second: other } of calls) {
    names.set(call.output, converterFor(call.op.name)(new ConvertContext(graph, call, other, names, resolver)));
  }

  // An output's dims: as declared in dynamicAxes; else fixed where both passes agree, named
  // after the input axis they follow where they changed (the batch), unknown otherwise.
  const symbolOf = new Map(dynamicInputAxes.map((a) => [`${a.input}:${a.axis}`, inputAxes[inputNames.indexOf(a.input)].get(a.axis) as string]));
  const outputs = first.outputs.map((t, i) => {
    graph.node('Identity', [names.get(t) as string], {}, outputNames[i]);
    const declared = declaredOutputAxes[i];
    const dims = t.shape.map((s: number, d: number): number | string | null => {
      if (declared !== null) return declared.get(d) ?? s;
      const otherSize = second.outputs[i].shape[d];
      if (s === otherSize) return s;
      const dim = resolver.dim(s, otherSize, () => `dim ${d} of output '${outputNames[i]}'`);
      return 'input' in dim && dim.factor === 1 ? (symbolOf.get(`${dim.input}:${dim.axis}`) as string) : null;
    });
    return valueInfo(outputNames[i], t.dtype, dims);
  });
  const inputs = sampleInputs.map((t, i) => valueInfo(inputNames[i], t.dtype, t.shape.map((s: number, d: number): number | string => inputAxes[i].get(d) ?? s)));
  const graphName = (model as object).constructor?.name ?? 'model';
  return encodeModel({ name: graphName, nodes: graph.nodes, initializers: graph.initializers, inputs, outputs, opset });
}
