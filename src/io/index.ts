/** Reading and writing tensors: the safetensors format. */

export {
  saveSafetensors,
  loadSafetensors,
  loadSafetensorsWithMetadata,
  type SaveOptions,
  type LoadOptions,
  type LoadedSafetensors,
} from './safetensors.js';
export { pytorchInt64Keys, type Int64KeySelector } from './safetensors-write.js';
export { MAX_HEADER_BYTES } from './safetensors-read.js';
export type { ReadOptions } from './safetensors-read.js';
