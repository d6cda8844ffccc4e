/**
 * A small PNG writer with no dependencies (it runs in browsers too): 8-bit gray, RGB or RGBA
 * pixels → the bytes of a .png file.
 *
 * A PNG is an 8-byte signature and chunks, each `length (u32 BE) · type · data · CRC-32(type·data)`:
 * IHDR (size, bit depth 8, colour type), IDAT (the scanlines, each led by filter byte 0 = none,
 * wrapped in a zlib stream) and IEND. The zlib stream uses "stored" (uncompressed) deflate
 * blocks of at most 65,535 bytes — valid for every decoder, and simple enough to read in full.
 */
import { ShapeError } from '../errors.js';

/** Pixels of an image, row-major, `channels` bytes per pixel (1 gray, 3 RGB, 4 RGBA). */
export interface PngImage {
  /** Pixels per row. */
  width: number;
  /** Rows. */
  height: number;
  /** Bytes per pixel: 1 gray, 3 RGB, 4 RGBA. */
  channels: 1 | 3 | 4;
  /** width·height·channels bytes, row-major, top row first. */
  pixels: Uint8Array;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), as PNG chunks carry it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Adler-32, the checksum that ends a zlib stream: a = 1 + Σ bytes, b = Σ a, both mod 65521. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream (RFC 1950) holding `data` in stored deflate blocks (RFC 1951 §3.2.4). */
export function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  const view = new DataView(out.buffer);
  out[0] = 0x78; // deflate, 32 KiB window
  out[1] = 0x01; // no preset dictionary; (0x78·256 + 0x01) is a multiple of 31, as the header check requires
  let at = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, data.length - start);
    out[at] = b === blocks - 1 ? 1 : 0; // BFINAL on the last block, BTYPE 00 = stored
    view.setUint16(at + 1, len, true);
    view.setUint16(at + 3, ~len & 0xffff, true);
    out.set(data.subarray(start, start + len), at + 5);
    at += 5 + len;
  }
  view.setUint32(at, adler32(data), false);
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length, false);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)), false);
  return out;
}

const COLOUR_TYPE = { 1: 0, 3: 2, 4: 6 } as const; // gray, truecolour, truecolour with alpha

/** The bytes of a PNG file showing `image`. */
export function encodePng(image: PngImage): Uint8Array {
  const { width, height, channels, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ShapeError(`encodePng: width and height must be positive integers, got ${width}×${height}`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new ShapeError(`encodePng: channels must be 1, 3 or 4, got ${String(channels)}`);
  const rowBytes = width * channels;
  if (pixels.length !== rowBytes * height) {
    throw new ShapeError(`encodePng: expected ${rowBytes * height} bytes for ${width}×${height}×${channels}, got ${pixels.length}`);
  }
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width, false);
  hv.setUint32(4, height, false);
  header[8] = 8; // bits per sample
  header[9] = COLOUR_TYPE[channels];
  // compression 0 (deflate), filter method 0, no interlace: bytes 10–12 stay 0
  const raw = new Uint8Array((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlibStored(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
