/**
 * Options are checked, never silently dropped. Every public constructor — found by walking the
 * exports (nn's Module subclasses, the optimizers, the schedulers, data's classes), so a class
 * added later is covered or this test fails — is driven with a misspelled key and must throw a
 * TypeError naming the class and the key, before it changes anything (the random generator
 * included). Then the cases that silently changed results when ported from PyTorch.
 */
import { describe, expect, it } from 'vitest';
import {
  Module, Tensor, data, gradcheck, grad, io, manualSeed, nn, optim, quant, rand, randn, randnLike, tensor, zeros,
} from '../../src/index.js';

type AnyClass = new (...args: unknown[]) => unknown;

/** How a class takes its arguments, with the minimal valid positional ones. */
type Entry =
  /** An options object follows `args`; `snake` is a PyTorch spelling that must get its camelCase form suggested. */
  | { kind: 'options'; args: () => unknown[]; snake?: readonly [string, string] }
  /** PyTorch's signature is positional numbers; `bad` passes an options object in their place. */
  | { kind: 'positional'; args: () => unknown[]; bad: () => unknown[] }
  /** Takes no options at all (`why` says so). */
  | { kind: 'none'; args: () => unknown[]; why: string }
  /** An abstract base, never constructed by users. */
  | { kind: 'abstract'; why: string };

const params = (): Tensor[] => [new nn.Parameter(randn([3, 2])), new nn.Parameter(randn([2]))];
const sgd = (): optim.SGD => new optim.SGD(params(), { lr: 0.1, momentum: 0.9 });
const encoderLayer = (): nn.TransformerEncoderLayer => new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
const decoderLayer = (): nn.TransformerDecoderLayer => new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 8 });

const nnTable: Record<string, Entry> = {
  Linear: { kind: 'options', args: () => [2, 3] },
  LoRALinear: { kind: 'options', args: () => [new nn.Linear(2, 3)] },
  Conv1d: { kind: 'options', args: () => [2, 4, 3], snake: ['padding_mode', 'paddingMode'] },
  Conv2d: { kind: 'options', args: () => [2, 4, 3], snake: ['padding_mode', 'paddingMode'] },
  ConvTranspose1d: { kind: 'options', args: () => [2, 4, 3], snake: ['output_padding', 'outputPadding'] },
  ConvTranspose2d: { kind: 'options', args: () => [2, 4, 3], snake: ['output_padding', 'outputPadding'] },
  MaxPool2d: { kind: 'options', args: () => [2], snake: ['ceil_mode', 'ceilMode'] },
  MaxUnpool2d: { kind: 'options', args: () => [2] },
  Upsample: { kind: 'options', args: () => [], snake: ['scale_factor', 'scaleFactor'] },
  AvgPool2d: { kind: 'options', args: () => [2], snake: ['count_include_pad', 'countIncludePad'] },
  AdaptiveAvgPool2d: { kind: 'positional', args: () => [1], bad: () => [{ output_size: 1 }] },
  BatchNorm1d: { kind: 'options', args: () => [3], snake: ['track_running_stats', 'trackRunningStats'] },
  BatchNorm2d: { kind: 'options', args: () => [3], snake: ['track_running_stats', 'trackRunningStats'] },
  LayerNorm: { kind: 'options', args: () => [4], snake: ['elementwise_affine', 'elementwiseAffine'] },
  GroupNorm: { kind: 'options', args: () => [2, 4] },
  InstanceNorm1d: { kind: 'options', args: () => [3], snake: ['track_running_stats', 'trackRunningStats'] },
  InstanceNorm2d: { kind: 'options', args: () => [3], snake: ['track_running_stats', 'trackRunningStats'] },
  Dropout: { kind: 'positional', args: () => [0.2], bad: () => [{ p: 0.2 }] },
  Embedding: { kind: 'options', args: () => [10, 4], snake: ['padding_idx', 'paddingIdx'] },
  ReLU: { kind: 'none', args: () => [], why: 'no options (PyTorch’s inplace has no meaning here)' },
  LeakyReLU: { kind: 'positional', args: () => [0.2], bad: () => [{ negative_slope: 0.2 }] },
  GELU: { kind: 'options', args: () => [] },
  SiLU: { kind: 'none', args: () => [], why: 'no options' },
  Sigmoid: { kind: 'none', args: () => [], why: 'no options' },
  Tanh: { kind: 'none', args: () => [], why: 'no options' },
  Softmax: { kind: 'positional', args: () => [1], bad: () => [{ dim: 1 }] },
  LogSoftmax: { kind: 'positional', args: () => [1], bad: () => [{ dim: 1 }] },
  Flatten: { kind: 'positional', args: () => [1, -1], bad: () => [{ start_dim: 1 }] },
  Identity: { kind: 'none', args: () => [], why: 'no options' },
  Sequential: { kind: 'none', args: () => [new nn.ReLU()], why: 'takes modules only' },
  ModuleList: { kind: 'none', args: () => [[new nn.ReLU()]], why: 'takes modules only' },
  ModuleDict: { kind: 'none', args: () => [{ act: new nn.ReLU() }], why: 'takes modules only' },
  ParameterList: { kind: 'none', args: () => [[new nn.Parameter(zeros([2]))]], why: 'takes parameters only' },
  ParameterDict: { kind: 'none', args: () => [{ scale: new nn.Parameter(zeros([2])) }], why: 'takes parameters only' },
  RNN: { kind: 'options', args: () => [3, 4], snake: ['batch_first', 'batchFirst'] },
  LSTM: { kind: 'options', args: () => [3, 4], snake: ['num_layers', 'numLayers'] },
  GRU: { kind: 'options', args: () => [3, 4], snake: ['batch_first', 'batchFirst'] },
  RNNCell: { kind: 'options', args: () => [3, 4] },
  LSTMCell: { kind: 'options', args: () => [3, 4] },
  GRUCell: { kind: 'options', args: () => [3, 4] },
  MultiheadAttention: { kind: 'options', args: () => [4, 2], snake: ['batch_first', 'batchFirst'] },
  TransformerEncoderLayer: { kind: 'options', args: () => [4, 2], snake: ['dim_feedforward', 'dimFeedforward'] },
  TransformerEncoder: { kind: 'options', args: () => [encoderLayer(), 1] },
  TransformerDecoderLayer: { kind: 'options', args: () => [4, 2], snake: ['norm_first', 'normFirst'] },
  TransformerDecoder: { kind: 'options', args: () => [decoderLayer(), 1] },
  Transformer: { kind: 'options', args: () => [], snake: ['d_model', 'dModel'] },
  MSELoss: { kind: 'options', args: () => [] },
  L1Loss: { kind: 'options', args: () => [] },
  HuberLoss: { kind: 'options', args: () => [] },
  NLLLoss: { kind: 'options', args: () => [], snake: ['ignore_index', 'ignoreIndex'] },
  CrossEntropyLoss: { kind: 'options', args: () => [], snake: ['label_smoothing', 'labelSmoothing'] },
  BCELoss: { kind: 'options', args: () => [] },
  BCEWithLogitsLoss: { kind: 'options', args: () => [], snake: ['pos_weight', 'posWeight'] },
  KLDivLoss: { kind: 'options', args: () => [], snake: ['log_target', 'logTarget'] },
};

const optimTable: Record<string, Entry> = {
  Optimizer: { kind: 'abstract', why: 'the base class' },
  AdamBase: { kind: 'abstract', why: 'the base of Adam and AdamW' },
  SGD: { kind: 'options', args: () => [params()], snake: ['weight_decay', 'weightDecay'] },
  Adam: { kind: 'options', args: () => [params()], snake: ['weight_decay', 'weightDecay'] },
  AdamW: { kind: 'options', args: () => [params()], snake: ['weight_decay', 'weightDecay'] },
  RMSprop: { kind: 'options', args: () => [params()], snake: ['weight_decay', 'weightDecay'] },
  Adagrad: { kind: 'options', args: () => [params()], snake: ['lr_decay', 'lrDecay'] },
};

const schedulerTable: Record<string, Entry> = {
  LRScheduler: { kind: 'abstract', why: 'the base class' },
  StepLR: { kind: 'options', args: () => [sgd()], snake: ['step_size', 'stepSize'] },
  ExponentialLR: { kind: 'options', args: () => [sgd()] },
  CosineAnnealingLR: { kind: 'options', args: () => [sgd()], snake: ['T_max', 'tMax'] },
  LinearLR: { kind: 'options', args: () => [sgd()], snake: ['total_iters', 'totalIters'] },
  OneCycleLR: { kind: 'options', args: () => [sgd()], snake: ['max_lr', 'maxLr'] },
  ReduceLROnPlateau: { kind: 'options', args: () => [sgd()], snake: ['min_lr', 'minLr'] },
};

const dataTable: Record<string, Entry> = {
  TensorDataset: { kind: 'none', args: () => [zeros([4, 2])], why: 'takes tensors only' },
  DataLoader: { kind: 'options', args: () => [new data.TensorDataset(zeros([4, 2]))], snake: ['batch_size', 'batchSize'] },
};

/** Valid options each class needs besides the misspelled key (required ones, so the check is what fails). */
const requiredOptions: Record<string, Record<string, unknown>> = {
  StepLR: { stepSize: 2 },
  ExponentialLR: { gamma: 0.9 },
  CosineAnnealingLR: { tMax: 10 },
  OneCycleLR: { maxLr: 0.1, totalSteps: 10 },
  Upsample: { scaleFactor: 2 },
  LoRALinear: { rank: 2, alpha: 4 },
  Transformer: { dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 },
};

/** The exported classes of `namespace` that `keep` selects, by name. */
function classesOf(namespace: object, keep: (cls: AnyClass) => boolean): Map<string, AnyClass> {
  const out = new Map<string, AnyClass>();
  for (const [name, value] of Object.entries(namespace)) {
    if (typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value)) && keep(value as AnyClass)) {
      out.set(name, value as AnyClass);
    }
  }
  return out;
}

const groups: [string, Map<string, AnyClass>, Record<string, Entry>][] = [
  ['nn', classesOf(nn, (c) => c.prototype instanceof Module), nnTable],
  ['optim', classesOf(optim, (c) => c === optim.Optimizer || c.prototype instanceof optim.Optimizer), optimTable],
  // Every class of the namespace: ReduceLROnPlateau is no LRScheduler (its step takes the metric).
  ['optim.lrScheduler', classesOf(optim.lrScheduler, () => true), schedulerTable],
  ['data', classesOf(data, () => true), dataTable],
];

/** Runs `build` after seeding, and returns the next random numbers: equal runs mean `build` drew none. */
function drawsAfter(build: () => void): number[] {
  manualSeed(7);
  try {
    build();
  } catch {
    // the throw is checked by the caller
  }
  return [...rand([4]).toTypedArray()];
}

describe('every public constructor checks its options', () => {
  for (const [where, classes, table] of groups) {
    it(`${where}: the table lists every exported class, and only those`, () => {
      expect(classes.size).toBeGreaterThan(0);
      const missing = [...classes.keys()].filter((name) => !(name in table));
      expect(missing, `add these ${where} classes to the table of options-strict.test.ts`).toEqual([]);
      expect(Object.keys(table).filter((name) => !classes.has(name))).toEqual([]);
    });

    for (const [name, entry] of Object.entries(table)) {
      const cls = () => classes.get(name) as AnyClass;
      if (entry.kind === 'abstract') continue;
      const required = requiredOptions[name] ?? {};

      it(`${where}.${name}: the minimal arguments construct it`, () => {
        const args = entry.kind === 'options' ? [...entry.args(), { ...required }] : entry.args();
        expect(new (cls())(...args)).toBeInstanceOf(cls());
      });

      if (entry.kind === 'options') {
        it(`${where}.${name}: a misspelled key throws naming the class and the key, before any change`, () => {
          const make = () => new (cls())(...entry.args(), { ...required, bais: true });
          expect(make).toThrow(TypeError);
          expect(make).toThrow(new RegExp(`^${name}: unknown option 'bais'; valid options: `));
          const args = entry.args();
          expect(drawsAfter(() => new (cls())(...args, { ...required, bais: true }))).toEqual(drawsAfter(() => undefined));
          if (entry.snake) {
            const [snake, camel] = entry.snake;
            expect(() => new (cls())(...entry.args(), { ...required, [snake]: 1 })).toThrow(
              new RegExp(`^${name}: unknown option '${snake}' \\(did you mean '${camel}'\\?\\)`),
            );
          }
        });

        it(`${where}.${name}: a number where the options object belongs throws`, () => {
          expect(() => new (cls())(...entry.args(), 1)).toThrow(new RegExp(`^${name}: expected an options object .* got number 1`));
        });
      }

      if (entry.kind === 'positional') {
        it(`${where}.${name}: an options object where PyTorch takes a number throws`, () => {
          expect(() => new (cls())(...entry.bad())).toThrow(new RegExp(`^${name}: .* must be a number`));
        });
      }
    }
  }
});

describe('the cases that silently changed results when porting from PyTorch', () => {
  it('nn.LSTM(8, 12, 2): a positional numLayers throws instead of giving 1 layer', () => {
    expect(() => new nn.LSTM(8, 12, 2 as never)).toThrow(/^LSTM: expected an options object .* got number 2; pass options by name/);
    expect(new nn.LSTM(8, 12, { numLayers: 2 }).numLayers).toBe(2);
  });

  it('{ numLayers: 2, batch_first: true } throws suggesting batchFirst, for LSTM, GRU and RNN', () => {
    const config: Record<string, unknown> = { numLayers: 2, batch_first: true };
    for (const Cls of [nn.LSTM, nn.GRU, nn.RNN]) {
      expect(() => new Cls(8, 12, config)).toThrow(/unknown option 'batch_first' \(did you mean 'batchFirst'\?\); valid options: .*batchFirst/);
    }
  });

  it("Embedding's padding_idx throws suggesting paddingIdx; paddingIdx works", () => {
    expect(() => new nn.Embedding(10, 4, { padding_idx: 0 } as never)).toThrow(/^Embedding: unknown option 'padding_idx' \(did you mean 'paddingIdx'\?\)/);
    const emb = new nn.Embedding(10, 4, { paddingIdx: 0 });
    expect([...emb.weight.narrow(0, 0, 1).toTypedArray()]).toEqual([0, 0, 0, 0]);
    expect(() => nn.functional.embedding(tensor([0], { dtype: 'int32' }), emb.weight, { padding_idx: 0 } as never)).toThrow(/^embedding: unknown option 'padding_idx'/);
  });

  it("SGD's weight_decay throws suggesting weightDecay, as options, in a parameter group and in a loaded state dict", () => {
    const p = params();
    const before = p.map((t) => [...t.toTypedArray()]);
    const config: Record<string, unknown> = { lr: 0.1, weight_decay: 1e-4 };
    expect(() => new optim.SGD(p, config)).toThrow(/^SGD: unknown option 'weight_decay' \(did you mean 'weightDecay'\?\); valid options: lr, momentum, dampening, weightDecay/);
    expect(() => new optim.SGD([{ params: p, weight_decay: 1e-4 } as never], { lr: 0.1 })).toThrow(/^SGD parameter group: unknown option 'weight_decay' \(did you mean 'weightDecay'\?\)/);
    expect(() => new optim.SGD(p, 0.1 as never)).toThrow(/^SGD: expected an options object .* got number 0\.1/);
    expect(p.map((t) => [...t.toTypedArray()])).toEqual(before);

    const opt = new optim.SGD(p, { lr: 0.1, weightDecay: 0.5 });
    const saved = opt.stateDict();
    const bad = { ...saved, paramGroups: [{ ...saved.paramGroups[0], weight_decay: 0 }] };
    expect(() => opt.loadStateDict(bad)).toThrow(/^SGD\.loadStateDict: group 0: unknown option 'weight_decay' \(did you mean 'weightDecay'\?\)/);
    expect(opt.paramGroups[0].weightDecay).toBe(0.5);

    // weightDecay itself acts: θ ← θ − lr·(g + λθ) with g = 0.
    const w = new nn.Parameter(tensor([2]));
    w.grad = zeros([1]);
    new optim.SGD([w], { lr: 0.1, weightDecay: 0.5 }).step();
    expect(w.item()).toBeCloseTo(2 - 0.1 * 0.5 * 2, 6);
  });

  it("TransformerEncoder.forward takes PyTorch's `mask`; `srcMask` throws naming the valid keys and suggesting `mask`", () => {
    manualSeed(0);
    const enc = new nn.TransformerEncoder(encoderLayer(), 1).eval();
    const x = randn([3, 1, 4]);
    const mask = nn.generateSquareSubsequentMask(3);
    expect(() => enc.forward(x, { srcMask: mask } as never)).toThrow(
      /^TransformerEncoder\.forward: unknown option 'srcMask' \(did you mean 'mask'\?\); valid options: mask, srcKeyPaddingMask, isCausal/,
    );
    const masked = enc.forward(x, { mask });
    const byLayer = enc.layers[0].forward(x, { srcMask: mask });
    expect([...masked.toTypedArray()]).toEqual([...byLayer.toTypedArray()]);
    expect([...masked.toTypedArray()]).not.toEqual([...enc.forward(x).toTypedArray()]);
    expect(() => enc.layers[0].forward(x, { mask } as never)).toThrow(/^TransformerEncoderLayer\.forward: unknown option 'mask'; valid options: srcMask/);
  });

  it('the decoder and attention forwards check their masks too', () => {
    const dec = new nn.TransformerDecoder(decoderLayer(), 1).eval();
    const x = randn([3, 1, 4]);
    expect(() => dec.forward(x, x, { tgt_mask: null } as never)).toThrow(/^TransformerDecoder\.forward: unknown option 'tgt_mask' \(did you mean 'tgtMask'\?\)/);
    const mha = new nn.MultiheadAttention(4, 2);
    expect(() => mha.forward(x, x, x, { attn_mask: null } as never)).toThrow(/^MultiheadAttention\.forward: unknown option 'attn_mask' \(did you mean 'attnMask'\?\)/);
    expect(() => nn.functional.scaledDotProductAttention(x, x, x, { is_causal: true } as never)).toThrow(/did you mean 'isCausal'/);
  });

  it('Conv2d(3, 8, 3, 1, 1) and MaxPool2d(3, 2) throw instead of padding 0 / stride 3', () => {
    const Conv2d = nn.Conv2d as unknown as AnyClass;
    const MaxPool2d = nn.MaxPool2d as unknown as AnyClass;
    expect(() => new Conv2d(3, 8, 3, 1, 1)).toThrow(/^Conv2d: expected an options object .* got number 1; pass options by name/);
    expect(() => new MaxPool2d(3, 2)).toThrow(/^MaxPool2d: expected an options object .* got number 2/);
    expect(new nn.Conv2d(3, 8, 3, { stride: 1, padding: 1 }).padding).toEqual([1, 1]);
    expect(new nn.MaxPool2d(3, { stride: 2 }).stride).toEqual([2, 2]);
    const x = randn([1, 3, 5, 5]);
    const w = randn([8, 3, 3, 3]);
    expect(() => nn.functional.conv2d(x, w, null, { padding_mode: 'zeros' } as never)).toThrow(/^conv2d: unknown option 'padding_mode' \(did you mean 'paddingMode'\?\)/);
    expect(() => nn.functional.maxPool2d(x, 3, 2 as never)).toThrow(/^maxPool2d: expected an options object/);
    expect(() => nn.functional.crossEntropy(randn([2, 3]), tensor([0, 1], { dtype: 'int32' }), { label_smoothing: 0.1 } as never)).toThrow(/did you mean 'labelSmoothing'/);
  });

  it('init, utils, autograd, tensor methods, creation, io, loaders and schedulers check theirs', () => {
    const w = zeros([3, 2]);
    expect(() => nn.init.kaimingUniform_(w, { negative_slope: 0 } as never)).toThrow(/^kaimingUniform_: unknown option 'negative_slope'/);
    expect(() => nn.init.uniform_(w, { a: -1, b: 1 } as never)).toThrow(/^uniform_: low must be a number/);
    expect(() => nn.utils.clipGradNorm_([], { maxNorm: 1 } as never)).toThrow(/^clipGradNorm_: maxNorm must be a number/);

    const x = randn([3], { requiresGrad: true });
    expect(() => gradcheck((t) => t.mul(2).sum(), [x.double()], { atoll: 1 } as never)).toThrow(/^gradcheck: unknown option 'atoll'/);
    expect(() => grad(x.sum(), [x], { retain_graph: true } as never)).toThrow(/did you mean 'retainGraph'/);
    expect(() => x.sum().backward({ retainGraph: true } as never)).toThrow(/^backward: the first argument is the upstream gradient/);
    expect(() => x.sum().backward(undefined, { retain_graph: true } as never)).toThrow(/^backward: unknown option 'retain_graph'/);
    expect(x.grad).toBeNull();

    expect(() => x.var(0, true as never)).toThrow(/^var: expected an options object .* got boolean true/);
    expect(() => x.std(0, { keep_dim: true } as never)).toThrow(/^std: unknown option 'keep_dim'/);
    expect(() => x.gelu({ approx: 'tanh' } as never)).toThrow(/^gelu: unknown option 'approx'/);
    expect(() => zeros([2], { dtyp: 'float64' } as never)).toThrow(/^zeros: unknown option 'dtyp'/);
    expect(() => tensor([1], { requires_grad: true } as never)).toThrow(/did you mean 'requiresGrad'/);
    expect(() => randnLike(w, { dtype: 'float64', seed: 1 } as never)).toThrow(/^randnLike: unknown option 'seed'/);

    const bytes = io.saveSafetensors({ a: zeros([2]) });
    expect(() => io.loadSafetensors(bytes, { max_header_bytes: 100 } as never)).toThrow(/^loadSafetensors: unknown option 'max_header_bytes' \(did you mean 'maxHeaderBytes'\?\)/);
    expect(() => io.saveSafetensors({ a: zeros([2]) }, undefined, { int64_keys: [] } as never)).toThrow(/did you mean 'int64Keys'/);
    expect(() => io.loadSafetensors(bytes, { zero_copy: true } as never)).toThrow(/^loadSafetensors: unknown option 'zero_copy' \(did you mean 'zeroCopy'\?\)/);
    const pruned = new nn.Linear(2, 2);
    expect(() => nn.utils.prune.l1Unstructured(pruned, 'weight', { amount: 0.5, dim: 0 } as never)).toThrow(/^nn\.utils\.prune\.l1Unstructured: unknown option 'dim'/);
    expect(() => nn.utils.prune.lnStructured(pruned, 'weight', { amount: 1, n: 2, axis: 0 } as never)).toThrow(/^nn\.utils\.prune\.lnStructured: unknown option 'axis'/);
    expect(Object.keys(pruned.stateDict())).toEqual(['weight', 'bias']);
    const toQuantize = new nn.Linear(2, 2);
    expect(() => quant.quantize(toQuantize, { moda: 'static' } as never)).toThrow(/^quant\.quantize: unknown option 'moda'/);
    expect(toQuantize).toBeInstanceOf(nn.Linear);
    expect(() => new quant.QuantizedConv2d(zeros([2, 1, 3, 3]), null, { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, padding_mode: 'zeros' } as never)).toThrow(/^QuantizedConv2d: unknown option 'padding_mode'/);

    expect(() => new nn.Parameter(zeros([2]), { requires_grad: false } as never)).toThrow(/^Parameter: requiresGrad must be a boolean/);
    expect(new nn.Parameter(zeros([2]), false).requiresGrad).toBe(false);
    expect(() => nn.functional.oneHot(tensor([1], { dtype: 'int32' }), { num_classes: 3 } as never)).toThrow(/^oneHot: numClasses must be a number/);
    const model = new nn.Linear(2, 2);
    expect(() => model.loadStateDict(model.stateDict(), { strcit: false } as never)).toThrow(/^Linear\.loadStateDict: unknown option 'strcit'/);
    expect(() => new data.DataLoader(new data.TensorDataset(zeros([4, 2])), { batch_size: 2 } as never)).toThrow(/^DataLoader: unknown option 'batch_size' \(did you mean 'batchSize'\?\)/);
    expect(() => new optim.lrScheduler.CosineAnnealingLR(sgd(), { T_max: 10 } as never)).toThrow(/^CosineAnnealingLR: unknown option 'T_max' \(did you mean 'tMax'\?\)/);
  });
});
