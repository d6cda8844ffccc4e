/**
 * Test helpers: run exported ONNX bytes in ONNX Runtime (onnxruntime-web's WebAssembly backend
 * in Node, one thread) and compare with tsgrad's outputs.
 */
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import { Tensor } from 'tsgrad';

ort.env.wasm.numThreads = 1;

function ortTensor(t: Tensor): ort.Tensor {
  const data = t.toTypedArray();
  if (t.dtype === 'float32') return new ort.Tensor('float32', data as Float32Array, [...t.shape]);
  if (t.dtype === 'float64') return new ort.Tensor('float64', data as Float64Array, [...t.shape]);
  if (t.dtype === 'int32') return new ort.Tensor('int32', data as Int32Array, [...t.shape]);
  return new ort.Tensor('bool', data as Uint8Array, [...t.shape]);
}

/** Runs the model on named inputs; returns each output's data and dims by name. */
export async function runOnnx(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, { data: Float32Array | Float64Array | Int32Array; dims: number[] }>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) inputs[name] = ortTensor(t);
    const results = await session.run(inputs);
    const out: Record<string, { data: Float32Array | Float64Array | Int32Array; dims: number[] }> = {};
    for (const [name, value] of Object.entries(results)) out[name] = { data: value.data as Float32Array, dims: [...value.dims] };
    return out;
  } finally {
    await session.release();
  }
}

/** The largest |a − b| over two equally long arrays (throws on a length mismatch). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** The decoded ModelProto, to look at names, nodes and initializers. */
export function decodeModel(bytes: Uint8Array): onnxProto.onnx.ModelProto {
  return onnxProto.onnx.ModelProto.decode(bytes);
}
