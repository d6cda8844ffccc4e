/**
 * The mask math of magnitude pruning, on plain arrays (no modules, no graph).
 *
 * A mask holds 1 (kept) or 0 (pruned) per weight entry. Pruning again only looks at what is still
 * kept, as PyTorch's PruningContainer does: unstructured pruning ranks the entries whose mask is
 * 1, structured pruning the slices along `dim` that still hold a kept entry; the amount applies to
 * those, and entries already pruned stay pruned.
 *
 * Ranking: the units (entries or slices) with the smallest importance are pruned first — |w| for
 * entries, the Lₙ norm of the slice for slices. Ties are broken by position: among equal
 * importances the unit with the lower flat index (lower index along `dim`) is pruned first, so the
 * same weights always give the same mask. NaN counts as larger than every number (kept longest).
 */

/** The number of units to prune, as PyTorch's `_compute_nparams_toprune` and its validation. */
export function unitsToPrune(op: string, amount: number, available: number): number {
  if (Number.isInteger(amount)) {
    if (amount > available) {
      throw new RangeError(`${op}: amount=${amount} should be at most the number of units left to prune (${available})`);
    }
    return amount;
  }
  return roundHalfToEven(amount * available);
}

/**
 * Checks `amount` before anything is computed: an integer ≥ 0 is a count of units, a non-integer
 * must be a fraction in (0, 1). JavaScript has one number type, so PyTorch's `amount=1` (int: one
 * unit) and `amount=1.0` (float: every unit) cannot both be written: `1` is the count, as in
 * PyTorch's integer form; to prune everything, pass the count of units.
 */
export function checkAmount(op: string, amount: unknown): asserts amount is number {
  if (typeof amount !== 'number') {
    throw new TypeError(`${op}: amount must be a number (a fraction in (0, 1) or an integer count), got ${amount === undefined ? 'none' : typeof amount}`);
  }
  if (!Number.isFinite(amount) || amount < 0 || (!Number.isInteger(amount) && amount > 1)) {
    throw new RangeError(`${op}: amount must be a fraction in (0, 1) or an integer count >= 0, got ${amount}`);
  }
}

/** Python's `round`: halves go to the even neighbour (round(2.5) = 2), as PyTorch's count uses. */
function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Sort key: NaN above every number, so it is pruned last. */
function rankKey(value: number): number {
  return Number.isNaN(value) ? Infinity : value;
}

/**
 * The `count` units of `units` (ascending indices) with the smallest importance, ties to the lower
 * index. Array.prototype.sort is stable, so equal keys keep their index order.
 */
function smallest(units: number[], importance: (unit: number) => number, count: number): number[] {
  const keyed = units.map((unit) => ({ unit, key: importance(unit) }));
  keyed.sort((a, b) => {
    const ka = rankKey(a.key);
    const kb = rankKey(b.key);
    if (ka !== kb) return ka < kb ? -1 : 1;
    // Infinity and NaN (both ranked Infinity): a real Infinity before NaN.
    return Number(Number.isNaN(a.key)) - Number(Number.isNaN(b.key));
  });
  return keyed.slice(0, count).map((k) => k.unit);
}

/**
 * L1 unstructured: of the entries still kept (mask 1), prunes the `amount` with the smallest |w|.
 * `weights` and `mask` are row-major and equally long; returns the new mask.
 */
export function l1UnstructuredMask(op: string, weights: ArrayLike<number>, mask: ArrayLike<number>, amount: number): Float64Array {
  const kept: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) kept.push(i);
  const count = unitsToPrune(op, amount, kept.length);
  const out = Float64Array.from(mask);
  for (const i of smallest(kept, (i) => Math.abs(weights[i]), count)) out[i] = 0;
  return out;
}

/** Lₙ norm of a list of magnitudes: (Σ|x|ⁿ)^(1/n), or max |x| for n = Infinity. */
function lnNorm(values: number[], n: number): number {
  if (n === Infinity) return values.reduce((m, v) => (Number.isNaN(v) || v > m ? v : m), 0);
  return values.reduce((s, v) => s + v ** n, 0) ** (1 / n);
}

/**
 * Lₙ structured: the slices along `dim` (index c of that dim, every index of the others) that
 * still hold a kept entry are ranked by the Lₙ norm of their weights (already pruned entries count
 * as 0); the `amount` with the smallest norm are pruned whole. Returns the new mask.
 */
export function lnStructuredMask(
  op: string,
  weights: ArrayLike<number>,
  mask: ArrayLike<number>,
  shape: readonly number[],
  dim: number,
  n: number,
  amount: number,
): Float64Array {
  // Flat index of (outer o, slice c, inner i) = (o·size + c)·inner + i.
  const size = shape[dim];
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const sliceEntries = (c: number): number[] => {
    const at: number[] = [];
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) at.push((o * size + c) * inner + i);
    return at;
  };
  const slices = Array.from({ length: size }, (_, c) => sliceEntries(c));
  const live = slices.map((_, c) => c).filter((c) => slices[c].some((i) => mask[i] !== 0));
  const count = unitsToPrune(op, amount, live.length);
  const norm = (c: number) => lnNorm(slices[c].map((i) => Math.abs(mask[i] === 0 ? 0 : weights[i])), n);
  const out = Float64Array.from(mask);
  for (const c of smallest(live, norm, count)) for (const i of slices[c]) out[i] = 0;
  return out;
}
