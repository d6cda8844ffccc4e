/**
 * TensorDataset: rows of its tensors as samples, batches gathered by index, and errors for
 * tensors whose rows do not line up.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError, arange, data, tensor } from '../../src/index.js';

describe('TensorDataset', () => {
  const x = arange(24).reshape(6, 2, 2);
  const y = tensor([5, 4, 3, 2, 1, 0], { dtype: 'int32' });
  const ds = new data.TensorDataset(x, y);

  it('has one sample per row; sample i is row i of every tensor', () => {
    expect(ds.length).toBe(6);
    const [xi, yi] = ds.get(2);
    expect(xi.shape).toEqual([2, 2]);
    expect(xi.toArray()).toEqual([[8, 9], [10, 11]]);
    expect(yi.shape).toEqual([]);
    expect(yi.item()).toBe(3);
    expect(yi.dtype).toBe('int32');
  });

  it('gathers a batch of rows in the order asked', () => {
    const [xb, yb] = ds.getBatch(Int32Array.of(4, 0, 4));
    expect(xb.shape).toEqual([3, 2, 2]);
    expect(xb.toArray()).toEqual([[[16, 17], [18, 19]], [[0, 1], [2, 3]], [[16, 17], [18, 19]]]);
    expect(yb.toArray()).toEqual([1, 5, 1]);
  });

  it('rejects tensors with different row counts, 0-d tensors and out-of-range indices', () => {
    expect(() => new data.TensorDataset(x, tensor([1, 2]))).toThrow(/same first dim, got shapes \[6,2,2\], \[2\]/);
    expect(() => new data.TensorDataset(tensor(3))).toThrow(ShapeError);
    expect(() => new data.TensorDataset()).toThrow(/at least one tensor/);
    expect(() => ds.get(6)).toThrow(/index 6 is out of range for 6 samples/);
    expect(() => ds.get(-1)).toThrow(ShapeError);
  });
});
