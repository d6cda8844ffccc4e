/**
 * `tsgrad/onnx`: ONNX export, an optional entry (it needs the `onnx-proto` package, which the
 * core does not). The exported file runs in ONNX Runtime on any hardware.
 *
 * @example import { exportOnnx } from 'tsgrad/onnx';
 */
export { exportOnnx, type ExportOnnxOptions } from './export.js';
export type { DynamicAxes } from './dynamic-axes.js';
export type { Traceable } from './trace.js';
export { supportedOnnxOps } from './converters/index.js';
export { OnnxExportError } from './errors.js';
