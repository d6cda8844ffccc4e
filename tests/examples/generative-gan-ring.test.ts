/** A short run of examples/gan-ring.ts: the generated points must move onto the ring's modes. */
import { describe, expect, it } from 'vitest';
import { trainRingGan } from '../../examples/gan-ring.js';
import type { Coverage } from '../../examples/lib/gaussian-ring.js';

describe('examples/gan-ring (short run)', () => {
  it('raises the share of samples within 3σ of a mode and the number of modes covered', () => {
    const checkpoints: Coverage[] = [];
    const gan = trainRingGan({ steps: 1000, batchSize: 128, hidden: 64, noiseDim: 8, lr: 2e-3, seed: 0 }, (_, c) => checkpoints.push(c), 200);
    const [first, last] = [checkpoints[0], checkpoints.at(-1)!];
    expect(checkpoints).toHaveLength(5);
    expect(first.goodShare).toBeLessThan(0.2);
    expect(last.goodShare).toBeGreaterThan(first.goodShare + 0.4);
    expect(last.modesCovered).toBeGreaterThanOrEqual(5);
    expect(gan.sample(10).shape).toEqual([10, 2]);
  });
});
