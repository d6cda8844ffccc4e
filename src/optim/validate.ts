/**
 * Range checks for optimizer options, thrown (as RangeError naming the optimizer and option) when
 * an optimizer or a parameter group is made, as PyTorch does.
 */

/** Throws unless every option in `keys` is a finite number ≥ 0. */
export function requireAtLeast<O extends object>(name: string, options: O, keys: readonly (keyof O & string)[]): void {
  for (const key of keys) {
    const value: unknown = options[key];
    if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`${name}: invalid ${key} ${String(value)} (must be a finite number >= 0)`);
    }
  }
}

/** Throws unless `value` lies in [0, 1) (decay rates such as Adam's betas). */
export function requireUnitInterval(name: string, key: string, value: number): void {
  if (!(value >= 0 && value < 1)) throw new RangeError(`${name}: invalid ${key} ${value} (must be in [0, 1))`);
}
