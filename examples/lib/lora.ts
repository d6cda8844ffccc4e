/**
 * LoRA fine-tuning of an existing model: `applyLoRA` swaps chosen `nn.Linear` fields for
 * `nn.LoRALinear` wrappers (the Linear becomes their frozen `base_layer`) and freezes every other
 * parameter except those of the modules named trainable (a new task head, typically).
 * `mergeLoRA` folds each wrapper back into a plain Linear for inference.
 *
 * The swap works for layers the model calls through `forward` (Transformer layers' `linear1`,
 * `linear2` and attention's `out_proj`); a Linear whose weight a model reads directly would not
 * see the update. Attention's packed q/k/v projection is a parameter, not a Linear, so it is
 * left frozen.
 */
import { nn } from 'tsgrad';

/** Options of `applyLoRA`. */
export interface ApplyLoRAOptions {
  rank: number;
  alpha: number;
  dropout?: number;
  /** Field names of the Linears to adapt (`linear1`, `out_proj`, …), matched at any depth. */
  targets: string[];
  /** Modules whose parameters stay trainable (e.g. the new classification head). */
  trainable?: nn.Module[];
}

/** Offers every Linear held by a field (or inside a list field) of any module below `model` to `swap`; a non-null answer takes its place. */
function swapLinears(model: nn.Module, swap: (field: string, linear: nn.Linear) => nn.Module | null): void {
  for (const [, module] of model.namedModules()) {
    const fields = module as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(module)) {
      if (value instanceof nn.Linear) {
        const replacement = swap(key, value);
        if (replacement) fields[key] = replacement;
      } else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item instanceof nn.Linear) {
            const replacement = swap(key, item);
            if (replacement) value[i] = replacement;
          }
        });
      }
    }
  }
}

/**
 * Wraps the target Linears of `model` in LoRA layers and freezes everything else (but the
 * `trainable` modules). Returns the wrappers. Throws when no field matches a target.
 */
export function applyLoRA(model: nn.Module, opts: ApplyLoRAOptions): nn.LoRALinear[] {
  for (const p of model.parameters()) p.requiresGrad_(false);
  const wrapped: nn.LoRALinear[] = [];
  swapLinears(model, (field, linear) => {
    if (!opts.targets.includes(field)) return null;
    const lora = new nn.LoRALinear(linear, { rank: opts.rank, alpha: opts.alpha, dropout: opts.dropout ?? 0 });
    wrapped.push(lora);
    return lora;
  });
  if (wrapped.length === 0) throw new Error(`applyLoRA: no Linear field named ${opts.targets.join(', ')} in the model`);
  for (const m of opts.trainable ?? []) for (const p of m.parameters()) p.requiresGrad_(true);
  return wrapped;
}

/** Replaces every LoRA wrapper of `model` with its merged plain Linear (see `LoRALinear.merge`). */
export function mergeLoRA(model: nn.Module): void {
  for (const [, module] of model.namedModules()) {
    const fields = module as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(module)) if (value instanceof nn.LoRALinear) fields[key] = value.merge();
  }
}

/** Trainable parameters / all parameters of a model (counting elements). */
export function trainableFraction(model: nn.Module): { trainable: number; total: number } {
  let trainable = 0;
  let total = 0;
  for (const p of model.parameters()) {
    total += p.size;
    if (p.requiresGrad) trainable += p.size;
  }
  return { trainable, total };
}
