/**
 * Building an ONNX graph: unique value names, nodes with typed attributes, initializers and
 * constants, and shape tensors whose dynamic dims (the batch size) are read from a graph input
 * at run time instead of being baked in.
 */
import { OnnxExportError } from './errors.js';
import type { DType } from '../kernels/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { int64Proto, onnx, scalarProto, tensorProto, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './proto.js';

/** An attribute value with its ONNX type made explicit (1 and 1.0 are one number in JS). */
export type AttributeValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly string: string };

/**
 * One dim of a shape as the exporter knows it: a fixed size, or `factor` times a dynamic axis of
 * a graph input (for example `batch · 4` after merging the batch with a dim of 4).
 */
export type Dim =
  | { readonly fixed: number }
  | { readonly input: string; readonly axis: number; readonly factor: number };

const AttributeType = onnx.AttributeProto.AttributeType;

function attribute(name: string, value: AttributeValue): OnnxAttribute {
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: [...value.ints] };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.string) };
}

/** Collects the nodes and initializers of one graph. */
export class OnnxGraphBuilder {
  /** The nodes, in the order they run. */
  readonly nodes: OnnxNode[] = [];
  /** Parameters, buffers and constants. */
  readonly initializers: OnnxTensor[] = [];
  private readonly taken = new Set<string>();
  private readonly cachedConstants = new Map<string, string>();

  /** @param opset The ONNX opset the graph targets (decides a few op signatures). */
  constructor(readonly opset: number) {}

  /** Reserves `name` (a graph input or a state-dict name); throws if it is taken. */
  reserve(name: string): string {
    if (this.taken.has(name)) throw new OnnxExportError(`exportOnnx: the name '${name}' is used twice (inputs, outputs and state-dict names must differ)`);
    this.taken.add(name);
    return name;
  }

  /** A fresh value name starting with `base`. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  /** Adds a node; returns its (first) output's name. Input '' stands for an omitted optional input. */
  node(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> = {}, output?: string): string {
    const out = output ?? this.fresh(opType.toLowerCase());
    this.nodes.push({
      opType,
      name: this.fresh(`${opType}_node`),
      input: [...inputs],
      output: [out],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return out;
  }

  /** Adds `t` as an initializer named `name` (already reserved). */
  initializer(name: string, t: Tensor): string {
    this.initializers.push(tensorProto(name, t));
    return name;
  }

  /** A constant tensor as a fresh initializer. */
  constant(t: Tensor, base = 'const'): string {
    const name = this.fresh(base);
    this.initializers.push(tensorProto(name, t));
    return name;
  }

  /** A 1-d int64 constant (shapes, axes, slice bounds), shared between nodes that use the same values. */
  int64s(values: readonly number[]): string {
    const key = `i64:${values.join(',')}`;
    let name = this.cachedConstants.get(key);
    if (name === undefined) {
      name = this.fresh('ints');
      this.initializers.push(int64Proto(name, values));
      this.cachedConstants.set(key, name);
    }
    return name;
  }

  /** A 0-d constant of one number in `dtype`, shared like int64s. */
  scalar(value: number, dtype: DType): string {
    const key = `${dtype}:${Object.is(value, -0) ? '-0' : String(value)}`;
    let name = this.cachedConstants.get(key);
    if (name === undefined) {
      name = this.fresh('scalar');
      this.initializers.push(scalarProto(name, value, dtype));
      this.cachedConstants.set(key, name);
    }
    return name;
  }

  /**
   * A 1-d int64 tensor holding `dims`: a constant when every dim is fixed, else a Concat of
   * constant runs and `Shape(input)[axis] · factor` pieces computed when the graph runs.
   */
  shape(dims: readonly Dim[]): string {
    if (dims.every((d) => 'fixed' in d)) return this.int64s(dims.map((d) => (d as { fixed: number }).fixed));
    const pieces: string[] = [];
    let run: number[] = [];
    for (const d of dims) {
      if ('fixed' in d) {
        run.push(d.fixed);
        continue;
      }
      if (run.length > 0) pieces.push(this.int64s(run));
      run = [];
      pieces.push(this.dynamicDim(d));
    }
    if (run.length > 0) pieces.push(this.int64s(run));
    return pieces.length === 1 ? pieces[0] : this.node('Concat', pieces, { axis: { int: 0 } });
  }

  /** [Shape(input)[axis] · factor] as a 1-element int64 tensor (cached per input, axis and factor). */
  private dynamicDim(d: { input: string; axis: number; factor: number }): string {
    const key = `dim:${d.input}:${d.axis}:${d.factor}`;
    let name = this.cachedConstants.get(key);
    if (name === undefined) {
      name = this.node('Shape', [d.input], { start: { int: d.axis }, end: { int: d.axis + 1 } });
      if (d.factor !== 1) name = this.node('Mul', [name, this.int64s([d.factor])]);
      this.cachedConstants.set(key, name);
    }
    return name;
  }

  /**
   * A reduction over `axes`: ReduceSum takes them as an input since opset 13, the others since
   * opset 18 (an attribute before).
   */
  reduce(opType: string, x: string, axes: readonly number[], keepdims: boolean): string {
    const asInput = opType === 'ReduceSum' || this.opset >= 18;
    if (asInput) return this.node(opType, [x, this.int64s(axes)], { keepdims: { int: keepdims ? 1 : 0 } });
    return this.node(opType, [x], { axes: { ints: axes }, keepdims: { int: keepdims ? 1 : 0 } });
  }
}
