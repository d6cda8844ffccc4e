import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { loadSafetensors, pytorchInt64Keys, saveSafetensors } from '../../src/io/index.js';
import { loadFile, loadFileWithMetadata, saveFile } from '../../src/node/index.js';
import { tensor } from '../../src/tensor/creation.js';

describe('saveFile / loadFile', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsgrad-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes exactly the bytes of saveSafetensors and reads them back', () => {
    const sd = {
      'fc.weight': tensor(Float32Array.of(1, 2, 3, 4, 5, 6), { shape: [2, 3] }),
      'bn.num_batches_tracked': tensor(Int32Array.of(4), { shape: [] }),
    };
    const path = join(dir, 'model.safetensors');
    saveFile(path, sd, { format: 'pt' }, { int64Keys: pytorchInt64Keys });
    expect(new Uint8Array(readFileSync(path))).toEqual(saveSafetensors(sd, { format: 'pt' }, { int64Keys: pytorchInt64Keys }));
    const loaded = loadFile(path);
    expect(loaded['fc.weight']?.shape).toEqual([2, 3]);
    expect(loaded['fc.weight']?.toTypedArray()).toEqual(Float32Array.of(1, 2, 3, 4, 5, 6));
    expect(loaded['bn.num_batches_tracked']?.item()).toBe(4);
    expect(loadFileWithMetadata(path).metadata).toEqual({ format: 'pt' });
    expect(readdirSync(dir)).toEqual(['model.safetensors']); // no temporary left behind
  });

  it('replaces an existing file; a failed save leaves it and no temporary', () => {
    const path = join(dir, 'w.safetensors');
    saveFile(path, { a: tensor(Float32Array.of(1)) });
    saveFile(path, { b: tensor(Float32Array.of(2)) });
    expect(Object.keys(loadFile(path))).toEqual(['b']);
    expect(() => saveFile(join(dir, 'missing', 'x.safetensors'), { a: tensor(Float32Array.of(1)) })).toThrow(/ENOENT/);
    expect(() => saveFile(path, { __metadata__: tensor(Float32Array.of(1)) })).toThrow(FormatError);
    expect(readdirSync(dir)).toEqual(['w.safetensors']);
    expect(Object.keys(loadFile(path))).toEqual(['b']);
  });

  it('a malformed file throws FormatError naming the check', () => {
    const path = join(dir, 'bad.safetensors');
    writeFileSync(path, Uint8Array.of(1, 2, 3));
    expect(() => loadFile(path)).toThrow('loadSafetensors: HeaderTooSmall');
    expect(existsSync(path)).toBe(true);
  });
});

describe('Node Buffers (pooled, sharing one large ArrayBuffer)', () => {
  it('load into tensors of their own: Buffer#slice is a view, so it must not be used to copy', () => {
    const sd = {
      f: tensor(Float32Array.of(1.5, -2), { shape: [2] }),
      b: tensor(Uint8Array.of(1, 0, 1), { dtype: 'bool' }),
      i: tensor(Int32Array.of(7), { shape: [] }),
    };
    const buffer = Buffer.from(saveSafetensors(sd)); // small Buffers come from the shared pool
    expect(buffer.buffer.byteLength).toBeGreaterThan(buffer.byteLength);
    const loaded = loadSafetensors(buffer);
    for (const [name, t] of Object.entries(sd)) {
      expect(loaded[name]?.toTypedArray()).toEqual(t.toTypedArray());
      expect(loaded[name]?.storage.length).toBe(t.storage.length);
      expect(loaded[name]?.storage.buffer).not.toBe(buffer.buffer);
      expect(loaded[name]?.storage.constructor).toBe(t.storage.constructor);
    }
  });
});
