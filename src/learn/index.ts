/**
 * `tsgrad/learn`: a scalar autodiff engine to read in one sitting before the tensor engine.
 */
export { Value, type ValueLike } from './value.js';
