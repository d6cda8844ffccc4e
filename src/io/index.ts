/** Reading and writing tensors: the safetensors format. */

export {
  saveSafetensors,
  loadSafetensors,
  loadSafetensorsWithMetadata,
  type SaveOptions,
  type LoadOptions,
  type LoadedSafetensors,
  type ResponseLike,
  type SafetensorsBytes,
} from './safetensors.js';
export { fetchSafetensors, type FetchOptions, type FetchFunction } from './safetensors-fetch.js';
export { pytorchInt64Keys, type Int64KeySelector } from './safetensors-write.js';
export { MAX_HEADER_BYTES } from './safetensors-read.js';
export type { ReadOptions } from './safetensors-read.js';
