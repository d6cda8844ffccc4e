/**
 * The PNG writer: checksums against their published check values, a file structure a decoder
 * accepts (chunks, CRCs, a zlib stream that Node's inflate reads back to the scanlines), and heat maps.
 */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ShapeError, tensor, viz } from '../../src/index.js';

const ascii = (s: string) => new TextEncoder().encode(s);

/** The chunks of a PNG file: type, data, and whether the stored CRC matches. */
function chunks(png: Uint8Array): { type: string; data: Uint8Array; crcOk: boolean }[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out = [];
  let at = 8;
  while (at < png.length) {
    const len = view.getUint32(at, false);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    const crcOk = view.getUint32(at + 8 + len, false) === viz.crc32(png.subarray(at + 4, at + 8 + len));
    out.push({ type, data, crcOk });
    at += 12 + len;
  }
  return out;
}

describe('checksums', () => {
  it('CRC-32 and Adler-32 give their standard check values', () => {
    expect(viz.crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(viz.crc32(new Uint8Array(0))).toBe(0);
    expect(viz.adler32(ascii('Wikipedia'))).toBe(0x11e60398);
    expect(viz.adler32(new Uint8Array(0))).toBe(1);
  });

  it('zlib stored streams inflate back, including ones longer than one 65,535-byte block', () => {
    for (const n of [0, 1, 65535, 65536, 200_001]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);
      expect(Buffer.from(inflateSync(viz.zlibStored(data))).equals(Buffer.from(data))).toBe(true);
    }
  });
});

describe('encodePng', () => {
  it.each([1, 3, 4] as const)('writes a valid %i-channel PNG whose IDAT inflates to the filtered scanlines', (channels) => {
    const [width, height] = [5, 3];
    const pixels = new Uint8Array(width * height * channels).map((_, i) => (i * 17) & 0xff);
    const png = viz.encodePng({ width, height, channels, pixels });
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(cs.every((c) => c.crcOk)).toBe(true);
    const ihdr = new DataView(cs[0].data.buffer, cs[0].data.byteOffset, 13);
    expect([ihdr.getUint32(0), ihdr.getUint32(4), cs[0].data[8], cs[0].data[9]]).toEqual([width, height, 8, { 1: 0, 3: 2, 4: 6 }[channels]]);
    const raw = inflateSync(cs[1].data);
    expect(raw.length).toBe(height * (width * channels + 1));
    for (let y = 0; y < height; y++) {
      expect(raw[y * (width * channels + 1)]).toBe(0);
      expect(Array.from(raw.subarray(y * (width * channels + 1) + 1, (y + 1) * (width * channels + 1)))).toEqual(Array.from(pixels.subarray(y * width * channels, (y + 1) * width * channels)));
    }
  });

  it('rejects inconsistent sizes', () => {
    expect(() => viz.encodePng({ width: 2, height: 2, channels: 3, pixels: new Uint8Array(11) })).toThrow(ShapeError);
    expect(() => viz.encodePng({ width: 0, height: 2, channels: 1, pixels: new Uint8Array(0) })).toThrow(/positive integers/);
  });
});

describe('heat maps', () => {
  it('maps min and max to the ends of the ramp, scales each element to a block, and encodes', () => {
    const img = viz.heatmap(tensor([[0, 1], [0.5, 1]]), { scale: 3 });
    expect([img.width, img.height, img.channels]).toEqual([6, 6, 3]);
    const px = (x: number, y: number) => Array.from(img.pixels.subarray((y * 6 + x) * 3, (y * 6 + x) * 3 + 3));
    expect(px(0, 0)).toEqual(viz.rampColour(0));
    expect(px(5, 0)).toEqual(viz.rampColour(1));
    expect(px(2, 2)).toEqual(px(0, 0));
    expect(px(1, 4)).toEqual(viz.rampColour(0.5));
    expect(viz.rampColour(0)).not.toEqual(viz.rampColour(1));
    const png = viz.heatmapPng(tensor([[1, 2, 3]]), { scale: 2 });
    expect(chunks(png).every((c) => c.crcOk)).toBe(true);
    expect(() => viz.heatmap(tensor([1, 2]))).toThrow(/2-d tensor/);
  });
});
