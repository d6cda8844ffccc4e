/**
 * Op by op: small models that run the ops the exporter maps, each checked in ONNX Runtime
 * against tsgrad at the traced batch size and another one.
 */
import { describe, expect, it } from 'vitest';
import { cat, chunk, manualSeed, nn, randint, randn, split, stack, where, type Tensor } from 'tsgrad';
import { agreement } from './run-onnx';

const tolerance = 1e-4;

/** A module around a function of its inputs (parameters registered by the caller's fields). */
class Lambda extends nn.Module {
  constructor(private readonly fn: (...xs: Tensor[]) => Tensor) {
    super();
  }
  /** Whatever the wrapped function computes. */
  override forward(...xs: Tensor[]): Tensor {
    return this.fn(...xs);
  }
}

async function check(model: nn.Module, sample: Tensor[], other: Tensor[], label: string, opset = 17): Promise<void> {
  model.eval();
  const diff = await agreement(model, sample, [sample, other], { opset });
  console.log(`${label}: max |ONNX Runtime − tsgrad| = ${diff.toExponential(2)}`);
  expect(diff).toBeLessThan(tolerance);
}

describe('exportOnnx: ops in ONNX Runtime', () => {
  it('LayerNorm, GELU (exact and tanh), Dropout (eval), Softmax and LogSoftmax over a [N, T, D] input', async () => {
    manualSeed(10);
    const model = new nn.Sequential(
      new nn.Linear(8, 16), new nn.LayerNorm(16), new nn.GELU(), new nn.Dropout(0.3),
      new nn.Linear(16, 16), new nn.GELU({ approximate: 'tanh' }), new nn.LayerNorm(16), new nn.Linear(16, 5),
    );
    const head = new Lambda((x) => model.forward(x).softmax(-1).add(model.forward(x).logSoftmax(1)));
    (head as unknown as { body: nn.Module }).body = model;
    await check(head, [randn([3, 4, 8])], [randn([6, 4, 8])], 'LayerNorm + GELU');
    // Opset 20 has Gelu as one op.
    await check(head, [randn([3, 4, 8])], [randn([6, 4, 8])], 'LayerNorm + GELU (opset 20)', 20);
  });

  it('Conv2d with stride, padding, dilation and groups; "same" padding; AvgPool2d; MaxPool2d with padding; Sigmoid and Tanh', async () => {
    manualSeed(11);
    const model = new nn.Sequential(
      new nn.Conv2d(4, 8, 3, { stride: 2, padding: 1, dilation: 1, groups: 2 }), new nn.Sigmoid(),
      new nn.Conv2d(8, 8, 3, { padding: 2, dilation: 2, groups: 4 }), new nn.Tanh(),
      new nn.Conv2d(8, 6, [2, 3], { padding: 'same' }), new nn.ReLU(),
      new nn.MaxPool2d(3, { stride: 2, padding: 1 }), new nn.AvgPool2d(2, { stride: 1 }),
      new nn.Flatten(), new nn.Linear(6 * 3 * 3, 4),
    );
    await check(model, [randn([2, 4, 13, 13])], [randn([3, 4, 13, 13])], 'Conv2d variants + pools');
  });

  it('Add, Sub, Mul, Div, MatMul (batched), transpose, permute, concat, slice, narrow and reshape', async () => {
    manualSeed(12);
    const w = new nn.Parameter(randn([5, 5]));
    const model = new Lambda((a, b) => {
      const s = a.matmul(w).sub(b).mul(a.add(2)).div(b.abs().add(1));     // [N, 3, 5]
      const t = s.transpose(1, 2).matmul(s);                                // [N, 5, 5]
      const p = t.permute(0, 2, 1).reshape([-1, 25]);                       // [N, 25]
      const joined = cat([p.narrow(1, 5, 10), p.slice(1, 0, 25, 3), p.slice(1, -5)], 1);
      return joined.reshape([a.shape[0], 2, -1]).mean(-1);
    });
    (model as unknown as { w: nn.Parameter }).w = w;
    await check(model, [randn([2, 3, 5]), randn([2, 3, 5])], [randn([7, 3, 5]), randn([7, 3, 5])], 'arithmetic + shape ops');
  });

  it('Embedding (Gather) of int32 token ids, with a sum over the sequence', async () => {
    manualSeed(13);
    const emb = new nn.Embedding(20, 6);
    const proj = new nn.Linear(6, 3);
    const model = new Lambda((ids) => proj.forward(emb.forward(ids)).sum(1));
    Object.assign(model, { emb, proj });
    await check(model, [randint(0, 20, [2, 7])], [randint(0, 20, [5, 7])], 'Embedding');
  });

  it('LeakyReLU, ELU, SiLU, Softplus (β = 2), clamp, where, var, logsumexp, max(), stack, split, chunk, squeeze and unsqueeze', async () => {
    manualSeed(14);
    const lin = new nn.Linear(6, 6);
    const model = new Lambda((x) => {
      const h = lin.forward(x);
      const acts = stack([h.leakyRelu(0.1), h.elu(0.5), h.silu(), h.softplus({ beta: 2 }), h.clamp(-0.5, 0.7), h.clamp(null, 0.2)], 1); // [N, 6, 6]
      const [a, b] = split(acts, [2, 4], 1);
      const [c, d] = chunk(b, 2, 2);
      const picked = where(a.gt(0), a, a.mul(-3));
      const stats = cat([picked.var(2, { keepdim: true }), c.logsumexp(2, true), d.mean(2, true).unsqueeze(3).squeeze(3)], 1);
      return stats.squeeze(2).add(h.max());
    });
    Object.assign(model, { lin });
    await check(model, [randn([3, 6])], [randn([5, 6])], 'more activations and reductions');
    // Opset 18 takes the reductions' axes as an input.
    await check(model, [randn([3, 6])], [randn([5, 6])], 'more activations and reductions (opset 18)', 18);
  });

  it('Conv1d, GroupNorm, InstanceNorm2d, MaxPool2d with ceil mode and dilation', async () => {
    manualSeed(15);
    const conv1 = new nn.Conv1d(3, 4, 3, { padding: 'same' });
    const image = new nn.Sequential(
      new nn.Conv2d(4, 6, 3), new nn.GroupNorm(3, 6), new nn.InstanceNorm2d(6, { affine: true }),
      new nn.MaxPool2d(3, { stride: 2, ceilMode: true }), new nn.MaxPool2d(2, { dilation: 2 }),
    );
    const model = new Lambda((seq) => image.forward(conv1.forward(seq).unsqueeze(3).expand(-1, -1, -1, 9)));
    Object.assign(model, { conv1, image });
    await check(model, [randn([2, 3, 12])], [randn([4, 3, 12])], 'Conv1d + GroupNorm + InstanceNorm + pools');
  });

  it('MultiheadAttention with a key padding mask given as a bool input', async () => {
    manualSeed(16);
    const attention = new nn.MultiheadAttention(8, 2, { batchFirst: true });
    const model = new Lambda((x, mask) => attention.forward(x, x, x, { keyPaddingMask: mask })[0]);
    Object.assign(model, { attention });
    const mask = (n: number) => randn([n, 5]).gt(0.8);
    await check(model, [randn([2, 5, 8]), mask(2)], [randn([3, 5, 8]), mask(3)], 'MultiheadAttention + key padding mask');
  });

  it('comparisons and casts on an input are computed in the graph: a padding mask from token ids, int32 casts', async () => {
    manualSeed(17);
    const emb = new nn.Embedding(10, 8, { paddingIdx: 0 });
    const attention = new nn.MultiheadAttention(8, 2, { batchFirst: true });
    const model = new Lambda((ids) => {
      const x = emb.forward(ids);
      const padding = ids.eq(0).logicalOr(ids.gt(8)).logicalAnd(ids.ne(5).logicalNot().logicalNot());
      const counts = ids.ge(3).to('int32').sum(1, true).to('float32');
      return attention.forward(x, x, x, { keyPaddingMask: padding })[0].sum(1).add(counts);
    });
    Object.assign(model, { emb, attention });
    // Column 0 is never padding (1 to 7), so no row is fully masked.
    const ids = (n: number) => cat([randint(1, 8, [n, 1]), randint(0, 10, [n, 5])], 1);
    await check(model, [ids(3)], [ids(4)], 'mask from token ids');
  });

  it('ConvTranspose2d (stride, padding, output padding, groups) and ConvTranspose1d', async () => {
    manualSeed(18);
    const model = new nn.Sequential(
      new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), new nn.ReLU(),
      new nn.ConvTranspose2d(6, 2, [2, 3], { dilation: 2 }),
    );
    await check(model, [randn([2, 4, 5, 6])], [randn([3, 4, 5, 6])], 'ConvTranspose2d');
    const seq = new nn.ConvTranspose1d(3, 2, 4, { stride: 3 });
    await check(seq, [randn([2, 3, 7])], [randn([1, 3, 7])], 'ConvTranspose1d');
  });

  it('Upsample (nearest, bilinear with and without aligned corners) and AdaptiveAvgPool2d', async () => {
    manualSeed(19);
    const model = new nn.Sequential(
      new nn.Upsample({ scaleFactor: 2, mode: 'nearest' }), new nn.Conv2d(2, 3, 3),
      new nn.Upsample({ size: [11, 7], mode: 'bilinear' }), new nn.Upsample({ scaleFactor: 1.5, mode: 'bilinear', alignCorners: true }),
      new nn.AdaptiveAvgPool2d([3, 2]),
    );
    await check(model, [randn([2, 2, 5, 4])], [randn([3, 2, 5, 4])], 'Upsample + AdaptiveAvgPool2d');
  });
});
