/** The `viz` namespace: printing the autograd graph, and image helpers. */
export { graphToDot, formatGraph, type TensorNames } from './graph.js';
