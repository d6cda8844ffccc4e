/**
 * Checking options objects. Code ported from Python passes PyTorch's spellings (`batch_first`) and
 * positional numbers (`Conv2d(3, 8, 3, 1, 1)`); TypeScript rejects them only in object literals, so
 * from plain JavaScript or a config variable they would vanish and change the result silently.
 * Every public constructor and function that takes an options object calls `checkOptions` first.
 */

/** `batch_first` → `batchFirst`: the camelCase form of a snake_case key. */
export function camelCaseOf(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Throws a TypeError naming `op` when `options` is not a plain options object (a positional number
 * or array where an object belongs) or holds a key outside `valid`; a snake_case key whose
 * camelCase form is valid gets that form suggested. `undefined` and `null` mean "no options".
 *
 * @example checkOptions('nn.LSTM', { batch_first: true }, ['numLayers', 'batchFirst'])
 * // throws: nn.LSTM: unknown option 'batch_first' (did you mean 'batchFirst'?); valid options: numLayers, batchFirst
 */
export function checkOptions(op: string, options: unknown, valid: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    const got = Array.isArray(options) ? `an array [${options.join(', ')}]` : `${typeof options} ${String(options)}`;
    throw new TypeError(`${op}: expected an options object ({ ${valid.join(', ')} }), got ${got}; pass options by name`);
  }
  for (const key of Object.keys(options)) {
    if (valid.includes(key)) continue;
    const camel = camelCaseOf(key);
    const hint = camel !== key && valid.includes(camel) ? ` (did you mean '${camel}'?)` : '';
    const list = valid.length > 0 ? `valid options: ${valid.join(', ')}` : 'it takes no options';
    throw new TypeError(`${op}: unknown option '${key}'${hint}; ${list}`);
  }
}
