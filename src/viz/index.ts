/** The `viz` namespace: printing the autograd graph, image helpers, and pictures of explanations. */
export { graphToDot, formatGraph, type TensorNames } from './graph.js';
export { encodePng, crc32, adler32, zlibStored, type PngImage } from './png.js';
export { heatmap, heatmapPng, rampColour, type HeatmapOptions } from './heatmap.js';
export { heatmapOverlay, type HeatmapOverlayOptions } from './overlay.js';
export { tokenHeatmapHtml, type TokenHeatmapOptions } from './token-heatmap.js';
