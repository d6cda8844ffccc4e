/**
 * The names a dict container (ModuleDict, ParameterDict) accepts as keys: the same as PyTorch's
 * `add_module` / `register_parameter` — a non-empty string without '.', since a dot would make
 * the dotted state-dict key ambiguous.
 */

/** Throws a TypeError (not a string) or an Error (empty, contains '.') naming the container. */
export function checkKey(op: string, key: unknown): void {
  if (typeof key !== 'string') throw new TypeError(`${op}: keys must be strings, got ${typeof key}`);
  if (key === '') throw new Error(`${op}: a key can not be the empty string`);
  if (key.includes('.')) throw new Error(`${op}: key '${key}' can not contain '.' (it would be ambiguous in the state-dict keys)`);
}
