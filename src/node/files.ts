/**
 * safetensors files on disk, for Node (entry `tsgrad/node`; the core entry stays free of `fs`).
 * Writes go to a temporary file beside the target, renamed over it once complete, so an
 * interrupted save never leaves a truncated file under the real name.
 */

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import {
  loadSafetensors,
  loadSafetensorsWithMetadata,
  saveSafetensors,
  type LoadOptions,
  type LoadedSafetensors,
  type SaveOptions,
} from '../io/safetensors.js';
import type { Tensor } from '../tensor/tensor.js';

/** Saves named tensors (e.g. `model.stateDict()`) as a safetensors file at `path`. */
export function saveFile(
  path: string,
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
  options: SaveOptions = {},
): void {
  const bytes = saveSafetensors(tensors, metadata, options);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error: unknown) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Loads the tensors of the safetensors file at `path`; a malformed file throws FormatError. */
export function loadFile(path: string, options: LoadOptions = {}): Record<string, Tensor> {
  return loadSafetensors(readFileSync(path), options);
}

/** Loads the tensors and the `__metadata__` map of the safetensors file at `path`. */
export function loadFileWithMetadata(path: string, options: LoadOptions = {}): LoadedSafetensors {
  return loadSafetensorsWithMetadata(readFileSync(path), options);
}
