/**
 * Post-training int8 quantization (`quant` namespace): `quantize(model, options)` and the
 * quantized layers it puts in place of Linear and Conv2d. docs/quantization.md describes the
 * arithmetic, the file layout and the measurements.
 */
export { quantize, type QuantizeOptions, type QuantizableLayer } from './quantize.js';
export { QuantizedLinear } from './quantized-linear.js';
export { QuantizedMultiheadAttention } from './quantized-attention.js';
export { QuantizedConv2d, type QuantizedConv2dGeometry } from './quantized-conv2d.js';
export { QuantizedLayer, type QuantMode, type ActivationRange, type PackedWeight } from './quantized-layer.js';
export { quantizePerChannel, activationParams, quantizeActivations, roundHalfEven, type ChannelQuantized, type ActivationParams } from './qparams.js';
