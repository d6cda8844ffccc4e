/**
 * How an op file adds its Tensor methods. The Tensor class lives in src/tensor/ and knows nothing
 * of the ops; each op file declares its methods' types (`declare module … interface Tensor`)
 * beside the op and installs their bodies with this. Such files are side-effect modules, listed
 * in package.json's `sideEffects` so bundlers keep them.
 */
import { Tensor } from '../tensor/tensor.js';

/** A method body: `this` is the tensor the method is called on. */
type Method = (this: Tensor, ...args: never[]) => unknown;

/** Puts each function on Tensor.prototype under its key (non-enumerable, as class methods are). */
export function installMethods(methods: Record<string, Method>): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
  }
}
