/**
 * Every benchmark workload, in the order `bench/run.ts` runs them. A new workload is one file
 * exporting a `Workload`, listed here.
 */
import type { Workload } from '../harness.js';
import { w1Matmul } from './w1-matmul.js';
import { w2Conv2d } from './w2-conv2d.js';
import { w3MlpStep } from './w3-mlp-step.js';
import { w4CnnStep } from './w4-cnn-step.js';
import { w5LstmStep } from './w5-lstm-step.js';
import { w6TransformerBlock } from './w6-transformer-block.js';
import { w7Elementwise } from './w7-elementwise.js';
import { w8AutogradOverhead } from './w8-autograd-overhead.js';
import { w9Quantized } from './w9-quantized.js';

export const WORKLOADS: readonly Workload[] = [w1Matmul, w2Conv2d, w3MlpStep, w4CnnStep, w5LstmStep, w6TransformerBlock, w7Elementwise, w8AutogradOverhead, w9Quantized];
