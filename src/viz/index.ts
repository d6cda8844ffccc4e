/** The `viz` namespace: printing the autograd graph, and image helpers. */
export { graphToDot, formatGraph, type TensorNames } from './graph.js';
export { encodePng, crc32, adler32, zlibStored, type PngImage } from './png.js';
export { heatmap, heatmapPng, rampColour, type HeatmapOptions } from './heatmap.js';
