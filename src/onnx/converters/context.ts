/**
 * What a converter sees: one traced op call (and the same call at the second batch size), the
 * ONNX names of its tensor arguments, and the graph to add nodes to. A converter returns the
 * ONNX name of the value that stands for the call's output.
 */
import { OnnxExportError } from '../errors.js';
import type { AppliedOp } from '../../autograd/function.js';
import type { DType } from '../../kernels/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { DimResolver } from '../dynamic-axes.js';
import type { Dim, OnnxGraphBuilder } from '../graph-builder.js';
import { onnxElementType } from '../proto.js';

/** One op call being converted. */
export class ConvertContext {
  constructor(
    /** The graph being built. */
    readonly graph: OnnxGraphBuilder,
    /** The call in the traced pass. */
    readonly call: AppliedOp,
    /** The same call in the pass at another batch size (the call itself when no axis is dynamic). */
    readonly other: AppliedOp,
    private readonly names: ReadonlyMap<Tensor, string>,
    private readonly resolver: DimResolver,
  ) {}

  /** The op's graph-node name, e.g. `MulBackward` (what errors show). */
  get opName(): string {
    return `${this.call.op.name}Backward`;
  }

  /** The output tensor of the traced call. */
  get output(): Tensor {
    return this.call.output;
  }

  /** Argument i as passed to the op. */
  arg<T>(i: number): T {
    return this.call.args[i] as T;
  }

  /** Tensor argument i. */
  tensor(i: number): Tensor {
    return this.call.args[i] as Tensor;
  }

  /** The ONNX name of tensor argument i. */
  input(i: number): string {
    const name = this.names.get(this.tensor(i));
    if (name === undefined) throw new OnnxExportError(`exportOnnx: ${this.opName}: argument ${i} has no ONNX value (an internal ordering error)`);
    return name;
  }

  /** The ONNX name of tensor argument i, cast to `dtype` when it has another. */
  inputAs(i: number, dtype: DType): string {
    const name = this.input(i);
    return this.tensor(i).dtype === dtype ? name : this.graph.node('Cast', [name], { to: { int: onnxElementType(dtype) } });
  }

  /** A number argument, which must be the same at both batch sizes (an attribute can't follow the batch). */
  fixed(i: number, what: string): number {
    const a = this.call.args[i] as number;
    const b = this.other.args[i] as number;
    if (a !== b) throw new OnnxExportError(`exportOnnx: ${this.opName}: ${what} is ${a} at the traced batch size and ${b} at another; it cannot be exported with dynamic axes`);
    return a;
  }

  /** A shape argument (number[]) resolved into fixed and dynamic dims. */
  shapeArg(i: number, what: string): Dim[] {
    return this.resolver.dims(this.call.args[i] as number[], this.other.args[i] as number[], () => `the ${what} of ${this.opName}`);
  }

  /** Resolves one size seen in both passes (for sizes that are not plain arguments). */
  dim(first: number, second: number, what: string): Dim {
    return this.resolver.dim(first, second, () => `${what} of ${this.opName}`);
  }

  /** Tensor argument i in the other pass. */
  otherTensor(i: number): Tensor {
    return this.other.args[i] as Tensor;
  }
}

/** Turns one op call into ONNX nodes; returns the name of the value holding its output. */
export type Converter = (c: ConvertContext) => string;
