/**
 * Every Tensor method, installed: each op file (src/autograd/functions/<group>.ts) declares and
 * installs its own methods beside its ops, and engine.ts installs `backward`. An entry that hands
 * out tensors imports this module so that all methods are there, whatever the app imports.
 * This module and the files it imports are listed in package.json's `sideEffects`.
 */
import './engine.js';
import './functions/unary.js';
import './functions/binary.js';
import './functions/comparison.js';
import './functions/reduce.js';
import './functions/shape.js';
import './functions/shape-composed.js';
import './functions/indexing.js';
import './functions/matmul.js';
import './functions/inplace.js';
