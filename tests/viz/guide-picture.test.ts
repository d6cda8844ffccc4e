/**
 * docs/images/backprop-abc.svg, the picture docs/backprop.md shows, is `viz.graphToSvg` of the
 * guide's y = a·b + c (a = 2, b = −3, c = 10) after `y.backward()`: this test redraws it and
 * fails when the committed file differs (run with UPDATE_GUIDE_PICTURE=1 to write it again).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor, viz } from 'tsgrad';
import { describe, expect, it } from 'vitest';

const file = join(import.meta.dirname, '..', '..', 'docs', 'images', 'backprop-abc.svg');

describe("the guide's graph picture", () => {
  it('is the SVG graphToSvg draws of a·b + c after backward, with values and gradients', () => {
    const a = tensor(2, { requiresGrad: true });
    const b = tensor(-3, { requiresGrad: true });
    const c = tensor(10, { requiresGrad: true });
    const y = a.mul(b).add(c);
    y.backward();
    const svg = `${viz.graphToSvg(y, { names: { a, b, c }, values: true, grads: true })}\n`;
    if (process.env.UPDATE_GUIDE_PICTURE === '1') writeFileSync(file, svg);
    expect(readFileSync(file, 'utf8')).toBe(svg);
    expect(svg).toContain('grad -3');
  });
});
