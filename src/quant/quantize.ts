/**
 * `quantize(model, options)`: post-training int8 quantization. Every `nn.Linear`, every
 * zero-padded `nn.Conv2d` and every `nn.MultiheadAttention` with packed projections (its input
 * and output projections) is replaced by its int8 counterpart; the rest stays float.
 *
 * Dynamic mode quantizes each layer's input from its own range at every call. Static mode runs
 * the calibration batches through the float model first, records the range of every layer's
 * input over all of them, and fixes the activation parameters from it (no range pass at run
 * time; values outside the range saturate).
 */
import { noGrad } from '../autograd/grad-mode.js';
import { MultiheadAttention } from '../nn/attention.js';
import { Conv2d } from '../nn/conv.js';
import { Linear } from '../nn/linear.js';
import { ModuleDict } from '../nn/module-dict.js';
import { isModuleArray } from '../nn/module-fields.js';
import { Module } from '../nn/module.js';
import { checkOptions, optionKeys } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { rangeOf } from './qparams.js';
import { QuantizedMultiheadAttention } from './quantized-attention.js';
import { QuantizedConv2d } from './quantized-conv2d.js';
import type { ActivationRange, QuantMode } from './quantized-layer.js';
import { QuantizedLinear } from './quantized-linear.js';

/** The layer kinds `quantize` can replace. */
export type QuantizableLayer = 'Linear' | 'Conv2d' | 'MultiheadAttention';

const LAYER_KINDS: readonly QuantizableLayer[] = ['Linear', 'Conv2d', 'MultiheadAttention'];

/** Options of `quantize`. */
export interface QuantizeOptions {
  /** 'dynamic' (default): activation ranges measured per input; 'static': fixed by `calibration`. */
  mode?: QuantMode;
  /** Static mode: a few input batches, each passed to the model's forward to measure ranges. */
  calibration?: readonly Tensor[];
  /** Which layer kinds to quantize (default: every kind, ['Linear', 'Conv2d', 'MultiheadAttention']). */
  layers?: readonly QuantizableLayer[];
}

/**
 * The kind of `m` when `quantize` can replace it, else null: Conv2d with another padding mode and
 * MultiheadAttention with separate q, k, v weights stay float (the latter's out_proj is a Linear).
 */
function kindOf(m: Module): QuantizableLayer | null {
  if (m instanceof Linear) return 'Linear';
  if (m instanceof Conv2d && m.paddingMode === 'zeros') return 'Conv2d';
  if (m instanceof MultiheadAttention && !(m instanceof QuantizedMultiheadAttention) && m.in_proj_weight !== null) return 'MultiheadAttention';
  return null;
}

/** Puts `replacement` wherever `parent` holds `child` (a field, an entry of a module array, a ModuleDict key). */
function replaceChild(parent: Module, child: Module, replacement: Module): void {
  if (parent instanceof ModuleDict) {
    for (const [key, m] of parent.namedChildren()) if (m === child) parent.set(key, replacement);
    return;
  }
  for (const [key, value] of Object.entries(parent)) {
    if (value === child) Reflect.set(parent, key, replacement);
    else if (isModuleArray(value, Module)) value.forEach((m, i) => m === child && (value[i] = replacement));
  }
}

/** Runs the calibration batches through `model` and returns the input range each target saw. */
function calibrate(model: Module, targets: readonly Module[], batches: readonly Tensor[]): Map<Module, ActivationRange> {
  const ranges = new Map<Module, ActivationRange>();
  const handles = targets.map((m) =>
    m.registerForwardPreHook((_module, args) => {
      // Attention projects query, key and value with one weight: one range covers all three.
      for (const x of m instanceof MultiheadAttention ? args.slice(0, 3) : args.slice(0, 1)) {
        if (!(x instanceof Tensor)) continue;
        const seen = rangeOf(x.data());
        const before = ranges.get(m);
        ranges.set(m, before === undefined ? seen : { min: Math.min(before.min, seen.min), max: Math.max(before.max, seen.max) });
      }
    }),
  );
  const wasTraining = model.training;
  model.eval();
  try {
    const forward = model.forward as (x: Tensor) => unknown;
    noGrad(() => {
      for (const batch of batches) forward.call(model, batch);
    });
  } finally {
    for (const h of handles) h.remove();
    model.train(wasTraining);
  }
  return ranges;
}

/**
 * Replaces the model's Linear and Conv2d layers with int8 ones (per-output-channel symmetric
 * weights, per-tensor activations) and returns the model, in evaluation mode, with the same
 * forward. The model is converted in place (PyTorch's `inplace=True`): keep a float copy by
 * loading its state dict into a second instance first. Throws, changing nothing, on bad options.
 *
 * @example const small = quant.quantize(model, { mode: 'static', calibration: [batch1, batch2] })
 */
export function quantize<M extends Module>(model: M, options: QuantizeOptions = {}): M {
  const op = 'quant.quantize';
  checkOptions(op, options, optionKeys<QuantizeOptions>({ mode: true, calibration: true, layers: true }));
  if (!(model instanceof Module)) throw new TypeError(`${op}: expected a Module, got ${model === null ? 'null' : typeof model}`);
  const mode = options.mode ?? 'dynamic';
  if (mode !== 'dynamic' && mode !== 'static') throw new TypeError(`${op}: mode must be 'dynamic' or 'static', got ${JSON.stringify(mode)}`);
  const layers = options.layers ?? LAYER_KINDS;
  if (!Array.isArray(layers)) throw new TypeError(`${op}: layers must be an array of ${LAYER_KINDS.map((k) => `'${k}'`).join(', ')}`);
  for (const kind of layers) {
    if (!LAYER_KINDS.includes(kind)) throw new TypeError(`${op}: unknown layer kind ${JSON.stringify(kind)}; the kinds are ${LAYER_KINDS.map((k) => `'${k}'`).join(', ')}`);
  }
  const calibration = options.calibration;
  if (mode === 'static') {
    if (!Array.isArray(calibration) || calibration.length === 0 || !calibration.every((t) => t instanceof Tensor)) {
      throw new TypeError(`${op}: static mode needs calibration: a non-empty array of input Tensors`);
    }
  } else if (calibration !== undefined) {
    throw new TypeError(`${op}: calibration is only used in static mode (mode: 'static')`);
  }

  const modules = model.namedModules();
  const targets = [...new Set(modules.map(([, m]) => m).filter((m) => m !== model && layers.includes(kindOf(m) as QuantizableLayer)))];
  // An attention's output projection is quantized with it, so its input range is needed too.
  const observed = [...new Set([...targets, ...targets.flatMap((m) => (m instanceof MultiheadAttention ? [m.out_proj] : []))])];
  const ranges = mode === 'static' ? calibrate(model, observed, calibration as readonly Tensor[]) : new Map<Module, ActivationRange>();
  if (mode === 'static') {
    const unseen = modules.filter(([, m]) => observed.includes(m) && !ranges.has(m)).map(([name]) => name);
    if (unseen.length > 0) throw new Error(`${op}: the calibration batches never reached ${unseen.join(', ')}, so no input range is known for them`);
  }
  const replacements = new Map<Module, Module>();
  for (const m of targets) {
    const range = ranges.get(m);
    if (m instanceof Linear) replacements.set(m, QuantizedLinear.fromFloat(m, mode, range));
    else if (m instanceof Conv2d) replacements.set(m, QuantizedConv2d.fromFloat(m, mode, range));
    else if (m instanceof MultiheadAttention) replacements.set(m, new QuantizedMultiheadAttention(m, mode, { inProj: range, outProj: ranges.get(m.out_proj) }));
  }
  for (const [, parent] of modules) for (const child of parent.children()) {
    const replacement = replacements.get(child);
    if (replacement !== undefined) replaceChild(parent, child, replacement);
  }
  model.eval();
  return model;
}
