/**
 * Test helpers: run exported ONNX bytes in ONNX Runtime (onnxruntime-web's WebAssembly backend
 * in Node, one thread) and compare with tsgrad's outputs.
 */
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import { Tensor, noGrad } from 'tsgrad';
import { exportOnnx, type Traceable } from 'tsgrad/onnx';

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

/**
 * Exports `model` traced on `sample`, runs the file in ONNX Runtime on each batch of `batches`
 * (named as the graph inputs are: `input`, or `input_0`, …) and returns the largest difference
 * from tsgrad's own outputs over all of them, checking the output shapes on the way.
 */
export async function agreement(
  model: Traceable,
  sample: Tensor[],
  batches: Tensor[][],
  opts: Parameters<typeof exportOnnx>[2] = {},
): Promise<number> {
  const bytes = exportOnnx(model, sample, opts);
  const inputNames = opts.inputNames ?? (sample.length === 1 ? ['input'] : sample.map((_, i) => `input_${i}`));
  let worst = 0;
  for (const batch of batches) {
    const expected = flat(noGrad(() => (model.forward as (...xs: Tensor[]) => unknown).call(model, ...batch)));
    const outputNames = opts.outputNames ?? (expected.length === 1 ? ['output'] : expected.map((_, i) => `output_${i}`));
    const feeds: Record<string, Tensor> = {};
    batch.forEach((t, i) => (feeds[inputNames[i]] = t));
    const got = await runOnnx(bytes, feeds);
    expected.forEach((t, i) => {
      const out = got[outputNames[i]];
      if (out.dims.join() !== t.shape.join()) throw new Error(`output ${outputNames[i]}: ONNX shape [${out.dims.join(', ')}] vs tsgrad [${t.shape.join(', ')}]`);
      worst = Math.max(worst, maxAbsDiff(out.data, t.toTypedArray() as Float32Array));
    });
  }
  return worst;
}

function flat(result: unknown): Tensor[] {
  if (result instanceof Tensor) return [result];
  if (Array.isArray(result)) return result.flatMap(flat);
  throw new Error('forward returned something other than tensors');
}

/** The values of an int64 initializer (a Reshape target, Slice bounds). */
export function int64Initializer(graph: onnxProto.onnx.IGraphProto, name: string): number[] {
  const init = (graph.initializer ?? []).find((t) => t.name === name);
  if (!init?.rawData) throw new Error(`no int64 initializer named ${name}`);
  const bytes = init.rawData;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}
