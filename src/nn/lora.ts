/**
 * LoRA, low-rank adaptation of a Linear layer (Hu et al., 2021): the pretrained weight W stays
 * frozen and a trainable low-rank update is added beside it,
 *
 *   y = x·Wᵀ + b + (α/r) · dropout(x)·Aᵀ·Bᵀ,   A: [r, in],  B: [out, r],
 *
 * so fine-tuning trains r·(in + out) numbers instead of in·out. As PyTorch's LoRA libraries do,
 * A starts Kaiming-uniform (a = √5, i.e. U(−1/√in, 1/√in), a Linear's default) and B at zero, so
 * the wrapped layer computes exactly what the base layer did until training moves B; the update
 * is scaled by α/r so that changing the rank does not change the effective learning rate much.
 * `merge()` folds the update into one plain Linear, W' = W + (α/r)·B·A, for inference at no cost.
 *
 * State-dict keys: `base_layer.weight`, `base_layer.bias` (the frozen layer, named as PEFT names
 * it), `lora_A` [r, in] and `lora_B` [out, r].
 */
import { noGrad } from '../autograd/grad-mode.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, optionKeys } from '../options.js';
import { checkDropoutP, dropout } from './functional/dropout.js';
import { linear } from './functional/linear.js';
import { kaimingUniform_ } from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** Options of `LoRALinear`. */
export interface LoRALinearOptions {
  /** Rank r of the update B·A (a positive integer). */
  rank: number;
  /** The update is scaled by alpha / rank. */
  alpha: number;
  /** Dropout probability on the input of the low-rank path, in training (default 0). */
  dropout?: number;
}

/**
 * A frozen `Linear` plus a trainable low-rank update (see the file comment).
 *
 * @example const lora = new nn.LoRALinear(model.fc, { rank: 4, alpha: 8 }); model.fc = lora; // … train; model.fc = lora.merge()
 */
export class LoRALinear extends Module {
  /** The wrapped layer; its parameters are frozen (requiresGrad false) by the constructor. */
  base_layer: Linear;
  /** A: [rank, inFeatures], Kaiming-uniform at the start. */
  lora_A: Parameter;
  /** B: [outFeatures, rank], zero at the start. */
  lora_B: Parameter;
  /** Rank r of the update. */
  readonly rank: number;
  /** α of the scaling α/r. */
  readonly alpha: number;
  /** α / r, the factor of the update. */
  readonly scaling: number;
  /** Dropout probability on the low-rank path's input. */
  readonly dropout: number;

  constructor(base: Linear, opts: LoRALinearOptions) {
    super();
    checkOptions('LoRALinear', opts, optionKeys<LoRALinearOptions>({ rank: true, alpha: true, dropout: true }));
    if (!(base instanceof Linear)) throw new TypeError(`LoRALinear: base must be an nn.Linear, got ${base === null ? 'null' : typeof base === 'object' ? (base as object).constructor.name : typeof base}`);
    const { rank, alpha, dropout: p = 0 } = opts ?? ({} as Partial<LoRALinearOptions>);
    if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) throw new TypeError(`LoRALinear: rank must be a positive integer, got ${String(rank)}`);
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new TypeError(`LoRALinear: alpha must be a finite number, got ${String(alpha)}`);
    checkDropoutP('LoRALinear', p);
    this.base_layer = base;
    for (const param of base.parameters()) param.requiresGrad_(false);
    this.rank = rank;
    this.alpha = alpha;
    this.scaling = alpha / rank;
    this.dropout = p;
    const dtype = base.weight.dtype;
    this.lora_A = new Parameter(zeros([rank, base.inFeatures], { dtype }));
    this.lora_B = new Parameter(zeros([base.outFeatures, rank], { dtype }));
    this.resetParameters();
  }

  /** A ← Kaiming-uniform (a = √5), B ← 0: the layer computes the base layer's output again. */
  resetParameters(): void {
    kaimingUniform_(this.lora_A, { a: Math.sqrt(5) });
    noGrad(() => this.lora_B.zero_());
  }

  /** x (*, inFeatures) → (*, outFeatures): base(x) + (α/r)·dropout(x)·Aᵀ·Bᵀ. */
  override forward(x: Tensor): Tensor {
    const base = this.base_layer.forward(x);
    const low = linear(linear(dropout(x, this.dropout, this.training), this.lora_A, null, 'LoRALinear'), this.lora_B, null, 'LoRALinear');
    return base.add(low.mul(this.scaling));
  }

  /**
   * A plain Linear computing what this layer computes in evaluation: weight W + (α/r)·B·A and
   * the base bias, as new tensors (this layer is left as it is). Constructing the Linear draws its
   * default initialisation from the global generator, as any `new nn.Linear` does, before the
   * merged values replace it.
   */
  merge(): Linear {
    const base = this.base_layer;
    const merged = new Linear(base.inFeatures, base.outFeatures, { bias: base.bias !== null });
    noGrad(() => {
      const weight = base.weight.add(this.lora_B.matmul(this.lora_A).mul(this.scaling));
      merged.weight = new Parameter(weight);
      if (base.bias) merged.bias = new Parameter(base.bias.clone());
    });
    return merged;
  }

  override extraRepr(): string {
    return `inFeatures=${this.base_layer.inFeatures}, outFeatures=${this.base_layer.outFeatures}, rank=${this.rank}, alpha=${this.alpha}, dropout=${this.dropout}`;
  }
}
