/**
 * W9: quantized inference — one forward pass (no grad, evaluation mode) of the same model in
 * float32 and after `quant.quantize` (int8 weights per output channel, int8 activations per
 * tensor, products on the int8 SIMD kernel):
 *   demo CNN     examples' MNIST CNN (two 5×5 conv blocks with batch norm, one linear layer)
 *   ViT          examples' Vision Transformer (d 64, 4 heads, 3 layers, 17 tokens)
 *   MLP          784 → 1024 → 1024 → 10, ReLU (products dominate: the kernel's own gain)
 * in dynamic mode (activation ranges measured per call) and static mode (fixed by calibration
 * on two batches). The notes give float32 time / int8 time per model. Before timing, each int8
 * model's logits must stay close to the float model's (relative max error under 5 %), or the
 * run aborts. tsgrad only: the peers have no int8 path to compare.
 */
import { manualSeed, nn, noGrad, quant, randn, type Module, type Tensor } from '../../src/index.js';
import { mnistCnn } from '../../examples/cnn-mnist.js';
import { VisionTransformer, vitMnistConfig } from '../../examples/vit-mnist.js';
import { WrongResult, type BenchCase, type Impl, type MeasuredCase, type Workload } from '../harness.js';

type Forward = Module & { forward(x: Tensor): Tensor };

/** The models, built from a fixed seed (the weights do not change the time). */
const MODELS: { name: string; build: () => Forward; input: (batch: number) => number[] }[] = [
  { name: 'demo CNN', build: () => mnistCnn({ batchNorm: true }), input: (n) => [n, 1, 28, 28] },
  { name: 'ViT', build: () => new VisionTransformer({ ...vitMnistConfig, dropout: 0 }), input: (n) => [n, 1, 28, 28] },
  { name: 'MLP 784-1024-1024-10', build: () => new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 1024), new nn.ReLU(), new nn.Linear(1024, 1024), new nn.ReLU(), new nn.Linear(1024, 10)), input: (n) => [n, 784] },
];

const FORMS = ['float32', 'int8 dynamic', 'int8 static'] as const;

function maxAbs(t: Tensor): number {
  let m = 0;
  for (const v of t.data()) m = Math.max(m, Math.abs(v));
  return m;
}

/** The model of `spec` in `form`, with a check that int8 logits stay near the float ones. */
function impl(spec: (typeof MODELS)[number], form: (typeof FORMS)[number], batch: number): Impl {
  return {
    label: `tsgrad ${form}`,
    prepare: () => {
      manualSeed(9);
      const model = spec.build();
      model.eval();
      const x = randn(spec.input(batch));
      const reference = noGrad(() => model.forward(x));
      if (form !== 'float32') {
        const calibration = form === 'int8 static' ? [randn(spec.input(batch)), x] : undefined;
        quant.quantize(model, form === 'int8 static' ? { mode: 'static', calibration } : {});
        const error = maxAbs(noGrad(() => model.forward(x)).sub(reference)) / maxAbs(reference);
        if (!(error < 0.05)) throw new WrongResult(`W9 ${spec.name} ${form}: logits differ from float32 by ${(100 * error).toFixed(1)} % of their size`);
      }
      return { run: () => void noGrad(() => model.forward(x)) };
    },
  };
}

function cases(quick: boolean): BenchCase[] {
  const batch = quick ? 16 : 64;
  return MODELS.map((spec) => ({
    name: `${spec.name}, batch ${batch}`,
    minIterations: 5,
    impls: FORMS.map((form) => impl(spec, form, batch)),
  }));
}

/** float32 median / int8 median for each model and mode. */
function notes(rows: readonly MeasuredCase[]): string[] {
  const lines: string[] = [];
  for (const row of rows) {
    const float = row.results.find((r) => r.label === 'tsgrad float32')?.medianMs;
    const ratios = row.results
      .filter((r) => r.label !== 'tsgrad float32' && r.medianMs !== undefined && float !== undefined)
      .map((r) => `${r.label.replace('tsgrad ', '')} ${(float! / r.medianMs!).toFixed(2)}×`);
    if (ratios.length > 0) lines.push(`- ${row.c.name}: int8 speed-up over float32 (float32 ms / int8 ms): ${ratios.join(', ')}.`);
  }
  return lines;
}

export const w9Quantized: Workload = {
  id: 'W9',
  title: 'quantized inference: float32 against int8 (quant.quantize) forward passes',
  cases,
  notes,
};
