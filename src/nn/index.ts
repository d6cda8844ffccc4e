/**
 * The `nn` namespace: Module, Parameter, layers, losses, `functional`, `init` and `utils`.
 */
export { Module, type LoadResult } from './module.js';
export { Parameter } from './parameter.js';
