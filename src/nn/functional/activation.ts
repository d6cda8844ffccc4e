/**
 * The activation functions, as stateless functions (the same ops the tensor methods call).
 */
export {
  relu, leakyRelu, gelu, silu, sigmoid, tanh, softplus, elu,
} from '../../autograd/functions/unary.js';
export { softmax, logSoftmax } from '../../autograd/functions/reduce.js';
