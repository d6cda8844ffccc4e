/**
 * Every op the exporter maps, by op class name (its graph node is the name + `Backward`; ops
 * without gradient, such as comparisons, have no graph node but are named alike in messages).
 */
import { OnnxExportError } from '../errors.js';
import type { Converter } from './context.js';
import { elementwiseConverters } from './elementwise.js';
import { layerConverters } from './layers.js';
import { logicConverters } from './logic.js';
import { recurrentConverters } from './recurrent.js';
import { reduceConverters } from './reduce.js';
import { shapeConverters } from './shape.js';

const converters: Readonly<Record<string, Converter>> = {
  ...elementwiseConverters,
  ...shapeConverters,
  ...reduceConverters,
  ...layerConverters,
  ...logicConverters,
  ...recurrentConverters,
};

// Not listed as supported: BatchNormTraining is mapped only to refuse it with a pointed message,
// BatchNormEval is no tsgrad op but the exporter's fusion of eval-mode batch norm.
const unlisted = new Set(['BatchNormTraining', 'BatchNormEval']);

/**
 * The graph-node names (`MulBackward`, `Conv2dBackward`, …) of the ops `exportOnnx` can write,
 * sorted. `supportedOnnxOps().includes('LSTMSequenceBackward')`
 */
export function supportedOnnxOps(): string[] {
  return Object.keys(converters).filter((n) => !unlisted.has(n)).map((n) => `${n}Backward`).sort();
}

/** The converter of an op class, or a clear error naming it and listing the supported ones. */
export function converterFor(opName: string): Converter {
  const converter = Object.hasOwn(converters, opName) ? converters[opName] : undefined;
  if (converter === undefined) {
    throw new OnnxExportError(`exportOnnx: no ONNX mapping for the op ${opName}Backward; supported ops: ${supportedOnnxOps().join(', ')}`);
  }
  return converter;
}
