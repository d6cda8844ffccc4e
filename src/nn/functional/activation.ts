/**
 * The activation functions, as stateless functions (the same ops the tensor methods call).
 */
export {
  relu, leakyRelu, gelu, silu, sigmoid, tanh, softplus, elu,
} from '../../autograd/ops/elementwise.js';
export { softmax, logSoftmax } from '../../autograd/ops/reduce.js';
