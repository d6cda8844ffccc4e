/**
 * The work of reading a safetensors header is bounded per header byte (issue 19 §4: a header of
 * a million empty entries took 7 s and 1.6 GB). The bound is stated against the engine itself,
 * not a clock: parsing the header costs at most a few native `JSON.parse`s of the same text
 * (3.2 to 4.2 when every entry became a JSON tree first; about 1.6 now), and grows linearly with its size.
 * Also: the streaming reader still catches repeats among many keys.
 */
import { describe, expect, it } from 'vitest';
import { loadSafetensors } from '../../src/io/index.js';
import { parseHeader } from '../../src/io/safetensors-header.js';
import { expectFormatError, rawFile } from './helpers.js';

/** A header of `n` zero-size F32 entries, the cheapest entries a file can declare. */
function emptyEntries(n: number): string {
  const parts = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`;
  return `{${parts.join(',')}}`;
}

/** The fastest of `runs` timings of `work` (the least disturbed by other processes). */
function fastest(runs: number, work: () => unknown): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    work();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe('safetensors header: work per header byte', () => {
  it('parsing costs at most 2.5× JSON.parse of the same text, and scales linearly', () => {
    const small = emptyEntries(25_000);
    const large = emptyEntries(100_000);
    expect(parseHeader(small).entries).toHaveLength(25_000);
    const parseLarge = fastest(3, () => parseHeader(large));
    const nativeLarge = fastest(3, () => JSON.parse(large));
    expect(parseLarge / nativeLarge).toBeLessThan(2.5);
    const parseSmall = fastest(3, () => parseHeader(small));
    // 4× the entries: at most 4× the work, with room for the noise of a shared machine.
    expect(parseLarge / parseSmall).toBeLessThan(8);
  });

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
