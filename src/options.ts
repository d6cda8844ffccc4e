/**
 * Checking options objects. Code ported from Python passes PyTorch's spellings (`batch_first`) and
 * positional numbers (`Conv2d(3, 8, 3, 1, 1)`); TypeScript rejects them only in object literals, so
 * from plain JavaScript or a config variable they would vanish and change the result silently.
 * Every public constructor and function that takes an options object calls `checkOptions` first.
 */

/**
 * `batch_first` → `batchFirst`: the camelCase form of a snake_case key. A leading single capital
 * (PyTorch's `T_max`, `T_0`) is lowered, as docs/api.md spells them (`tMax`).
 */
export function camelCaseOf(key: string): string {
  const camel = key.replace(/_+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
  return /^[A-Z]_/.test(key) ? camel[0].toLowerCase() + camel.slice(1) : camel;
}

/**
 * Throws a TypeError naming `op` when `options` is not a plain options object (a positional number
 * or array where an object belongs) or holds a key outside `valid`; a snake_case key whose
 * camelCase form is valid gets that form suggested, and so does the entry of `renamed` for a key
 * known under another name (`{ srcMask: 'mask' }`). `undefined` and `null` mean "no options".
 *
 * @example checkOptions('nn.LSTM', { batch_first: true }, ['numLayers', 'batchFirst'])
 * // throws: nn.LSTM: unknown option 'batch_first' (did you mean 'batchFirst'?); valid options: numLayers, batchFirst
 */
export function checkOptions(
  op: string,
  options: unknown,
  valid: readonly string[],
  renamed: Readonly<Record<string, string>> = {},
): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    const got = Array.isArray(options) ? `an array [${options.join(', ')}]` : `${typeof options} ${String(options)}`;
    throw new TypeError(`${op}: expected an options object ({ ${valid.join(', ')} }), got ${got}; pass options by name`);
  }
  for (const key of Object.keys(options)) {
    if (valid.includes(key)) continue;
    const camel = camelCaseOf(key);
    const suggestion = Object.hasOwn(renamed, key) ? renamed[key] : camel;
    const hint = suggestion !== key && valid.includes(suggestion) ? ` (did you mean '${suggestion}'?)` : '';
    const list = valid.length > 0 ? `valid options: ${valid.join(', ')}` : 'it takes no options';
    throw new TypeError(`${op}: unknown option '${key}'${hint}; ${list}`);
  }
}

/**
 * The keys of an options type, written once as `{ key: true }` so that the compiler checks the
 * list is complete: an option added to the type and not here is a type error.
 *
 * @example checkOptions('Linear', opts, optionKeys<LinearOptions>({ bias: true }))
 */
export function optionKeys<T extends object>(keys: { readonly [K in keyof Required<T>]: true }): string[] {
  return Object.keys(keys);
}

/**
 * Throws a TypeError naming `op` and `name` unless `value` is a number (or undefined, for a
 * defaulted argument): catches an options object passed where PyTorch's signature has a
 * positional number, such as `new nn.LeakyReLU({ negative_slope: 0.2 })`.
 */
export function checkNumberArg(op: string, name: string, value: unknown): void {
  if (value === undefined || typeof value === 'number') return;
  const got = value !== null && typeof value === 'object' ? `an object with keys ${Object.keys(value).join(', ') || '(none)'}` : `${typeof value} ${String(value)}`;
  throw new TypeError(`${op}: ${name} must be a number, passed by position, got ${got}`);
}

/**
 * `checkNumberArg` for several positional arguments, given by name: `checkNumberArgs('uniform_', { low, high })`.
 */
export function checkNumberArgs(op: string, args: Readonly<Record<string, unknown>>): void {
  for (const [name, value] of Object.entries(args)) checkNumberArg(op, name, value);
}
