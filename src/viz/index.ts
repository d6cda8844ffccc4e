/** The `viz` namespace: pictures of the autograd graph (DOT, JSON, SVG, text), image helpers, and pictures of explanations. */
export { graphToDot, graphToJSON, formatGraph, type TensorNames, type GraphPictureOptions, type GraphData, type GraphNode, type GraphEdge } from './graph.js';
export { graphToSvg } from './graph-svg.js';
export { encodePng, crc32, adler32, zlibStored, type PngImage } from './png.js';
export { heatmap, heatmapPng, rampColour, type HeatmapOptions } from './heatmap.js';
export { heatmapOverlay, type HeatmapOverlayOptions } from './overlay.js';
export { tokenHeatmapHtml, type TokenHeatmapOptions } from './token-heatmap.js';
