/**
 * Headers of many entries (a header of a million empty entries once took 7 s and 1.6 GB; the
 * reader now scans the text without building a JSON tree: bench/safetensors-header.ts measures
 * it against JSON.parse). The streaming reader still catches repeats among many keys.
 */
import { describe, expect, it } from 'vitest';
import { loadSafetensors } from '../../src/io/index.js';
import { expectFormatError, rawFile } from './helpers.js';

/** A header of `n` zero-size F32 entries, the cheapest entries a file can declare. */
function emptyEntries(n: number): string {
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`;
  return `{${parts.join(',')}}`;
}

describe('safetensors header: many entries', () => {
  it('loads a header of 100k empty entries into 100k empty tensors', () => {
    const tensors = loadSafetensors(rawFile(emptyEntries(100_000)));
    const names = Object.keys(tensors);
    expect(names).toHaveLength(100_000);
    expect(tensors.t99999.shape).toEqual([0]);
    expect(tensors.t0.dtype).toBe('float32');
  });

  it('a repeated name far down a long header, or among many entry fields, is still refused', () => {
    const names = Array.from({ length: 20 }, (_, i) => `"n${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
    expectFormatError(() => loadSafetensors(rawFile(`{${names.join(',')},${names[3]}}`)), 'InvalidHeaderDeserialization');
    const fields = Array.from({ length: 12 }, (_, i) => `"extra${i}":${i}`).join(',');
    expectFormatError(
      () => loadSafetensors(rawFile(`{"a":{${fields},"dtype":"F32","shape":[0],"data_offsets":[0,0],"extra5":1}}`)),
      'InvalidHeaderDeserialization',
    );
    // Extra fields are read and dropped, as the reference does.
    expect(loadSafetensors(rawFile(`{"a":{${fields},"dtype":"F32","shape":[0],"data_offsets":[0,0]}}`)).a.shape).toEqual([0]);
  });
});
