/**
 * Pictures of explanations: `viz.heatmapOverlay` blends the heat-map ramp over an image, and
 * `viz.tokenHeatmapHtml` shades tokens red (positive) or blue (negative) by |score|/max|score|.
 */
import { describe, expect, it } from 'vitest';
import { tensor, viz } from '../../src/index.js';

describe('viz.heatmapOverlay', () => {
  it('blends (1 − alpha)·image + alpha·ramp colour per pixel, scaled up', () => {
    const image = tensor([[0, 1], [0.5, 0.2]]);
    const scores = tensor([[0, 1], [0.25, 0.5]]);
    const out = viz.heatmapOverlay(image, scores, { alpha: 0.5, scale: 2 });
    expect([out.width, out.height, out.channels]).toEqual([4, 4, 3]);
    const pixel = (x: number, y: number) => Array.from(out.pixels.subarray((y * 4 + x) * 3, (y * 4 + x) * 3 + 3));
    const blend = (gray: number, u: number) => viz.rampColour(u).map((c) => Math.round(0.5 * 255 * gray + 0.5 * c));
    expect(pixel(0, 0)).toEqual(blend(0, 0));
    expect(pixel(3, 1)).toEqual(blend(1, 1));
    expect(pixel(1, 3)).toEqual(blend(0.5, 0.25));
    expect(pixel(2, 2)).toEqual(blend(0.2, 0.5));
  });

  it('keeps the image at alpha 0, takes RGB [3, H, W] images, and the bytes encode as PNG', () => {
    const rgb = tensor([[[1]], [[0.5]], [[0]]]);
    const out = viz.heatmapOverlay(rgb, tensor([[3]]), { alpha: 0 });
    expect(Array.from(out.pixels)).toEqual([255, 128, 0]);
    const png = viz.encodePng(viz.heatmapOverlay(tensor([[0.1, 0.2]]), tensor([[-1, 1]]), { min: -1, max: 1 }));
    expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
  });

  it('checks shapes and options', () => {
    expect(() => viz.heatmapOverlay(tensor([[0, 1]]), tensor([[0], [1]]))).toThrow('heatmapOverlay: scores must be [1,2] like the image [1,2], got [2,1]');
    expect(() => viz.heatmapOverlay(tensor([[[0]], [[0]]]), tensor([[0]]))).toThrow('heatmapOverlay: image must be [H, W], [1, H, W] or [3, H, W], got [2,1,1]');
    expect(() => viz.heatmapOverlay(tensor([[0]]), tensor([[0]]), { alpha: 2 })).toThrow('heatmapOverlay: alpha must be in [0, 1], got 2');
    expect(() => viz.heatmapOverlay(tensor([[0]]), tensor([[0]]), { opacity: 1 } as never)).toThrow("heatmapOverlay: unknown option 'opacity'");
  });
});

describe('viz.tokenHeatmapHtml', () => {
  it('shades each token by its score, red positive and blue negative, escaping the text', () => {
    const html = viz.tokenHeatmapHtml(['good', '<b>', 'bad'], tensor([2, 0, -1]));
    const spans = html.match(/<span[^>]*>[^<]*<\/span>/g) ?? [];
    expect(spans).toHaveLength(3);
    expect(spans[0]).toContain('rgba(220, 38, 38, 1.000)');
    expect(spans[0]).toContain('>good<');
    expect(spans[1]).toContain('rgba(220, 38, 38, 0.000)');
    expect(spans[1]).toContain('>&lt;b&gt;<');
    expect(spans[2]).toContain('rgba(37, 99, 235, 0.500)');
    expect(spans[2]).toContain('title="-1.000"');
    expect(html.startsWith('<div')).toBe(true);
  });

  it('writes a whole document on request, and checks the lengths', () => {
    const page = viz.tokenHeatmapHtml(['a'], [1], { standalone: true, title: 'x & y' });
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<h3>x &amp; y</h3>');
    expect(() => viz.tokenHeatmapHtml(['a', 'b'], [1])).toThrow('tokenHeatmapHtml: 2 tokens but 1 scores');
    expect(() => viz.tokenHeatmapHtml(['a'], tensor([[1]]))).toThrow('tokenHeatmapHtml: scores must be 1-d (one per token), got 2-d');
  });
});
