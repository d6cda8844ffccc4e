/**
 * The ONNX protobuf messages, from the `onnx-proto` package (ONNX's own .proto compiled for
 * protobufjs): this file turns tensors into `TensorProto`s and a finished graph into the bytes of
 * a `ModelProto`. No hand-written encoder: the wire format is protobufjs's.
 */
import onnxProto from 'onnx-proto';
import type { DType } from '../kernels/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** The generated ONNX namespace (ModelProto, GraphProto, NodeProto, TensorProto, …). */
export const onnx = onnxProto.onnx;

/** A node as the exporter builds it (ONNX's NodeProto fields). */
export type OnnxNode = onnxProto.onnx.INodeProto;
/** An attribute of a node (ONNX's AttributeProto fields). */
export type OnnxAttribute = onnxProto.onnx.IAttributeProto;
/** A named value's type and shape (ONNX's ValueInfoProto fields). */
export type OnnxValueInfo = onnxProto.onnx.IValueInfoProto;
/** A constant tensor (ONNX's TensorProto fields). */
export type OnnxTensor = onnxProto.onnx.ITensorProto;

const DataType = onnx.TensorProto.DataType;

/** ONNX's element type for a tsgrad dtype. */
export function onnxElementType(dtype: DType): number {
  switch (dtype) {
    case 'float32': return DataType.FLOAT;
    case 'float64': return DataType.DOUBLE;
    case 'int32': return DataType.INT32;
    case 'bool': return DataType.BOOL;
  }
}

/** Little-endian bytes of a typed array (the layout TensorProto's raw_data holds). */
function littleEndianBytes(data: Float32Array | Float64Array | Int32Array | Uint8Array | BigInt64Array): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  const step = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    const at = i * step;
    if (data instanceof Float32Array) view.setFloat32(at, data[i], true);
    else if (data instanceof Float64Array) view.setFloat64(at, data[i], true);
    else if (data instanceof Int32Array) view.setInt32(at, data[i], true);
    else if (data instanceof BigInt64Array) view.setBigInt64(at, data[i], true);
    else view.setUint8(at, data[i]);
  }
  return out;
}

/** A TensorProto holding `t`'s elements (contiguous, row-major) under `name`. */
export function tensorProto(name: string, t: Tensor): OnnxTensor {
  const data = t.toTypedArray() as Float32Array | Float64Array | Int32Array | Uint8Array;
  return { name, dims: [...t.shape], dataType: onnxElementType(t.dtype), rawData: littleEndianBytes(data) };
}

/** A 1-d int64 TensorProto (shapes, axes, pads: what ONNX takes as int64 inputs). */
export function int64Proto(name: string, values: readonly number[]): OnnxTensor {
  return { name, dims: [values.length], dataType: DataType.INT64, rawData: littleEndianBytes(BigInt64Array.from(values, (v) => BigInt(v))) };
}

/** A 0-d TensorProto of one number in `dtype`. */
export function scalarProto(name: string, value: number, dtype: DType): OnnxTensor {
  const data = dtype === 'float64' ? Float64Array.of(value) : dtype === 'int32' ? Int32Array.of(value) : dtype === 'bool' ? Uint8Array.of(value) : Float32Array.of(value);
  return { name, dims: [], dataType: onnxElementType(dtype), rawData: littleEndianBytes(data) };
}

/** A graph input or output: its element type and dims, each a number or a symbolic name (null: unknown). */
export function valueInfo(name: string, dtype: DType, dims: readonly (number | string | null)[]): OnnxValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnxElementType(dtype),
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : d === null ? {} : { dimParam: d })) },
      },
    },
  };
}

/** What a finished graph holds. */
export interface OnnxGraphParts {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  opset: number;
}

/** The serialized ModelProto (IR version 8, the default ONNX domain at `opset`). */
export function encodeModel(parts: OnnxGraphParts): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'tsgrad',
    producerVersion: '0.1.0',
    opsetImport: [{ domain: '', version: parts.opset }],
    graph: {
      name: parts.name,
      node: parts.nodes,
      initializer: parts.initializers,
      input: parts.inputs,
      output: parts.outputs,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
