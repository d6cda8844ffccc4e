/**
 * Exported models run in ONNX Runtime (onnxruntime-web, WebAssembly backend, one thread) with
 * tsgrad's outputs, at the traced batch size and at others (the dynamic batch axis).
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, noGrad, randn } from 'tsgrad';
import { exportOnnx } from 'tsgrad/onnx';
import { mnistCnn } from '../../examples/cnn-mnist';
import { mnistMlp } from '../../examples/mlp-mnist';
import { agreement, decodeModel, int64Initializer } from './run-onnx';

/** Float32 agreement: the ops are the same math, summed in another order. */
const tolerance = 1e-4;

/** Moves batch-norm running statistics away from 0 and 1 with a few training passes, then evaluates. */
function settle(model: nn.Sequential, input: () => ReturnType<typeof randn>): void {
  model.train();
  noGrad(() => {
    for (let i = 0; i < 3; i++) model.forward(input());
  });
  model.eval();
}

describe('exportOnnx: models in ONNX Runtime', () => {
  it('an MLP (the MNIST one, Flatten included) agrees at batch 4 and at batches 1 and 9', async () => {
    manualSeed(1);
    const model = mnistMlp();
    model.eval();
    const diff = await agreement(model, [randn([4, 1, 28, 28])], [[randn([4, 1, 28, 28])], [randn([1, 1, 28, 28])], [randn([9, 1, 28, 28])]]);
    console.log(`MLP max |ONNX Runtime − tsgrad| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(tolerance);
  });

  it('the demo CNN with batch norm (eval mode) agrees at batch 2 and at batches 5 and 1', async () => {
    manualSeed(2);
    const model = mnistCnn({ batchNorm: true });
    settle(model, () => randn([4, 1, 28, 28]).mul(2).add(0.5));
    const diff = await agreement(model, [randn([2, 1, 28, 28])], [[randn([2, 1, 28, 28])], [randn([5, 1, 28, 28])], [randn([1, 1, 28, 28])]]);
    console.log(`demo CNN (batch norm) max |ONNX Runtime − tsgrad| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(tolerance);
  });

  it('names the initializers as the state dict does, and declares a symbolic batch axis', () => {
    manualSeed(3);
    const model = mnistCnn({ batchNorm: true });
    model.eval();
    const proto = decodeModel(exportOnnx(model, [randn([2, 1, 28, 28])], { inputNames: ['pixels'], outputNames: ['logits'] }));
    const graph = proto.graph!;
    const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name));
    for (const name of Object.keys(model.stateDict())) {
      if (name.endsWith('num_batches_tracked')) continue;
      expect(initializerNames.has(name), name).toBe(true);
    }
    expect(graph.input?.map((i) => i.name)).toEqual(['pixels']);
    expect(graph.output?.map((o) => o.name)).toEqual(['logits']);
    expect(graph.input?.[0].type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 1, 28, 28]);
    expect(graph.output?.[0].type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 10]);
    expect(Number(proto.opsetImport?.[0].version)).toBe(17);
    // The Flatten's Reshape target is [−1, 1568]: the traced batch size 2 is not baked in.
    const ops = new Set(graph.node?.map((n) => n.opType));
    expect(ops.has('Conv') && ops.has('MaxPool')).toBe(true);
    // Eval-mode batch norm is one BatchNormalization per layer, reading the running statistics.
    const norms = (graph.node ?? []).filter((n) => n.opType === 'BatchNormalization');
    expect(norms.map((n) => n.input?.slice(1))).toEqual([
      ['1.weight', '1.bias', '1.running_mean', '1.running_var'],
      ['5.weight', '5.bias', '5.running_mean', '5.running_var'],
    ]);
    expect(ops.has('Sub') || ops.has('Reciprocal')).toBe(false);
    const reshapes = (graph.node ?? []).filter((n) => n.opType === 'Reshape');
    expect(reshapes.length).toBeGreaterThan(0);
    const flattenTarget = reshapes.map((n) => int64Initializer(graph, n.input![1])).find((v) => v.includes(32 * 7 * 7));
    expect(flattenTarget).toEqual([-1, 32 * 7 * 7]);
  });
});
