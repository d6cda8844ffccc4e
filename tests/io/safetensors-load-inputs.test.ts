import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, type Tensor, io, manualSeed, nn, randn, randint, tensor } from '../../src/index.js';
import { sharedTensorData } from '../../src/io/safetensors-views.js';

manualSeed(11);
const source: Record<string, Tensor> = {
  f32: randn([3, 5]),
  f64: randn([4], { dtype: 'float64' }),
  i32: randint(-100, 100, [2, 3]),
  flags: tensor([true, false, true]),
  n64: randint(0, 9, [5]),
  empty: randn([0, 2]),
};
const file = new Uint8Array(io.saveSafetensors(source, undefined, { int64Keys: ['n64'] })); // typed as ArrayBuffer-backed for Response/Blob
const values = (tensors: Record<string, Tensor>) => Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, { dtype: t.dtype, shape: t.shape, v: t.toArray() }]));
const expected = values(io.loadSafetensors(file));

/** The file's bytes at `offset` inside a larger ArrayBuffer. */
function placedAt(offset: number) {
  const view = new Uint8Array(new ArrayBuffer(file.length + 16), offset, file.length);
  view.set(file);
  return view;
}

const shares = (t: Tensor, bytes: Uint8Array | ArrayBufferLike) => t.storage.buffer === (bytes instanceof Uint8Array ? bytes.buffer : bytes);

describe('io.loadSafetensors inputs', () => {
  it('loads the same tensors from every accepted input', async () => {
    expect(expected.f32.dtype).toBe('float32');
    const arrayBuffer = placedAt(0).buffer.slice(0, file.length);
    const inputs = [placedAt(0), placedAt(1), placedAt(3), placedAt(4), Buffer.from(file), arrayBuffer];
    for (const input of inputs) {
      expect(values(io.loadSafetensors(input))).toEqual(expected);
      expect(values(io.loadSafetensors(input, { zeroCopy: true }))).toEqual(expected);
    }
    const responses = () => [new Response(file), new Blob([file]), { arrayBuffer: async () => placedAt(0).buffer.slice(0, file.length) }];
    for (const response of responses()) expect(values(await io.loadSafetensors(response))).toEqual(expected);
    for (const response of responses()) expect(values(await io.loadSafetensors(response, { zeroCopy: true }))).toEqual(expected);
    const sab = new SharedArrayBuffer(file.length);
    new Uint8Array(sab).set(file);
    const fromShared = io.loadSafetensors(sab, { zeroCopy: true });
    expect(values(fromShared)).toEqual(expected);
    expect(shares(fromShared.f32, sab)).toBe(true);
    const withMeta = await io.loadSafetensorsWithMetadata(new Response(new Uint8Array(io.saveSafetensors(source, { format: 'pt' }))));
    expect(withMeta.metadata).toEqual({ format: 'pt' });
    expect(io.loadSafetensorsWithMetadata(arrayBuffer, { zeroCopy: true }).tensors.f32.toArray()).toEqual(expected.f32.v);
  });

  it('never shares memory without zeroCopy', () => {
    const bytes = placedAt(0);
    for (const t of Object.values(io.loadSafetensors(bytes))) expect(shares(t, bytes)).toBe(false);
  });

  it('shares F32, F64, I32 and 0/1 BOOL when aligned, and copies converted dtypes', () => {
    const bytes = placedAt(0);
    const loaded = io.loadSafetensors(bytes, { zeroCopy: true });
    expect(['f32', 'f64', 'i32', 'flags', 'empty'].filter((k) => shares(loaded[k], bytes))).toEqual(['f32', 'f64', 'i32', 'flags', 'empty']);
    expect(shares(loaded.n64, bytes)).toBe(false); // I64 is narrowed to int32: a copy
    // One memory: writing through the tensor writes the file's bytes, and back.
    loaded.f32.data()[0] = 42;
    const f32 = Array.from(io.loadSafetensors(bytes).f32.data());
    expect(f32[0]).toBe(42);
    expect(f32.slice(1)).toEqual(Array.from(source.f32.data()).slice(1));
    loaded.i32.fill_(7);
    expect(io.loadSafetensors(bytes).i32.toArray()).toEqual([[7, 7, 7], [7, 7, 7]]);
    const ab = placedAt(0).buffer;
    expect(shares(io.loadSafetensors(ab.slice(0, file.length), { zeroCopy: true }).f64, ab)).toBe(false);
    const own = ab.slice(0, file.length);
    expect(shares(io.loadSafetensors(own, { zeroCopy: true }).f64, own)).toBe(true);
  });

  it('copies what is misaligned in its buffer (per element size) and BOOL bytes other than 0/1', () => {
    const at4 = placedAt(4); // aligned for 4-byte elements, not for 8-byte ones
    const loaded4 = io.loadSafetensors(at4, { zeroCopy: true });
    expect(shares(loaded4.f32, at4)).toBe(true);
    expect(shares(loaded4.i32, at4)).toBe(true);
    expect(shares(loaded4.f64, at4)).toBe(false);
    const at1 = placedAt(1);
    const loaded1 = io.loadSafetensors(at1, { zeroCopy: true });
    expect(['f32', 'f64', 'i32'].some((k) => shares(loaded1[k], at1))).toBe(false);
    expect(shares(loaded1.flags, at1)).toBe(true); // 1-byte elements are always aligned
    expect(values(loaded1)).toEqual(expected);
    // A BOOL byte of 2 must read as 1: copied and converted.
    const odd = Uint8Array.of(0, 2, 1);
    expect(sharedTensorData('BOOL', odd)).toBeNull();
    expect(sharedTensorData('BOOL', Uint8Array.of(0, 1, 1))?.data.buffer).toBeDefined();
    // A big-endian host cannot read little-endian words in place.
    const words = new Uint8Array(8);
    expect(sharedTensorData('F32', words, false)).toBeNull();
    expect(sharedTensorData('F32', words, true)?.data).toBeInstanceOf(Float32Array);
    expect(sharedTensorData('F16', words, true)).toBeNull();
  });

  it('refuses bad inputs and options with errors naming the op', async () => {
    for (const bad of ['file', 3, null, undefined, [1, 2], new Float32Array(4), new DataView(new ArrayBuffer(8)), { bytes: file }]) {
      expect(() => io.loadSafetensors(bad as never)).toThrow(FormatError);
    }
    expect(() => io.loadSafetensors(new Float32Array(4) as never)).toThrow(/loadSafetensors: NotAUint8Array: expected the file as a Uint8Array, an ArrayBuffer or a Response-like object \(with arrayBuffer\(\)\), got a Float32Array \(wrap its bytes/);
    expect(() => io.loadSafetensors({} as never)).toThrow(/got an object without arrayBuffer\(\) \(Object\)/);
    expect(() => io.loadSafetensors(file, { zeroCopy: 'yes' } as never)).toThrow(/zeroCopy must be a boolean, got string/);
    expect(() => io.loadSafetensors(file, { zero_copy: true } as never)).toThrow(/unknown option 'zero_copy' \(did you mean 'zeroCopy'\?\)/);
    expect(() => io.loadSafetensors(new ArrayBuffer(4))).toThrow(/HeaderTooSmall/);
    // The Response form reports everything through its Promise.
    const pending = io.loadSafetensors(new Response(file), { zero_copy: true } as never);
    await expect(pending).rejects.toThrow(/unknown option 'zero_copy'/);
    await expect(io.loadSafetensors(new Response('not a file at all'))).rejects.toThrow(FormatError);
    await expect(io.loadSafetensors(new Response('gone', { status: 404, statusText: 'Not Found' }))).rejects.toThrow('loadSafetensors: the response is not ok (HTTP 404 Not Found)');
    await expect(io.loadSafetensors({ arrayBuffer: () => Promise.reject(new Error('stream broke')) })).rejects.toThrow('stream broke');
    // Forgetting the await is caught where the tensors are used.
    const notAwaited = io.loadSafetensors(new Response(io.saveSafetensors(new nn.Linear(2, 1).stateDict()).slice()));
    expect(() => new nn.Linear(2, 1).loadStateDict(notAwaited as never)).toThrow(/loadStateDict: got a Promise, not a state dict: await it first/);
    await notAwaited;
  });
});

describe('io.fetchSafetensors', () => {
  let server: Server;
  let base = '';
  const seenHeaders: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seenHeaders.push(String(req.headers['x-token'] ?? ''));
      if (req.url === '/model.safetensors') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.from(file));
      } else if (req.url === '/junk') {
        res.end('<html>hello</html>');
      } else {
        res.writeHead(404, 'Not Found');
        res.end('missing');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads and loads a file with the global fetch, zero-copy into one buffer', async () => {
    expect(values(await io.fetchSafetensors(`${base}/model.safetensors`))).toEqual(expected);
    const shared = await io.fetchSafetensors(`${base}/model.safetensors`, { zeroCopy: true, requestInit: { headers: { 'x-token': 'abc' } } });
    expect(values(shared)).toEqual(expected);
    expect(shared.f32.storage.buffer).toBe(shared.f64.storage.buffer);
    expect(shared.f32.storage.buffer).toBe(shared.i32.storage.buffer);
    expect(shared.f32.storage.buffer.byteLength).toBe(file.length);
    expect(seenHeaders.at(-1)).toBe('abc');
    // The same file through a Response the app fetched itself.
    expect(values(await io.loadSafetensors(await fetch(`${base}/model.safetensors`)))).toEqual(expected);
  });

  it('uses fetchFunc when given, and reports HTTP, format and network failures', async () => {
    const asked: string[] = [];
    const fetchFunc = async (url: string) => { asked.push(url); return new Response(file); };
    expect(values(await io.fetchSafetensors('weights://model', { fetchFunc }))).toEqual(expected);
    expect(asked).toEqual(['weights://model']);
    await expect(io.fetchSafetensors(`${base}/nothing.safetensors`)).rejects.toThrow(`fetchSafetensors: the response for ${base}/nothing.safetensors is not ok (HTTP 404 Not Found)`);
    await expect(io.fetchSafetensors(`${base}/junk`)).rejects.toThrow(FormatError);
    await expect(io.fetchSafetensors(`${base}/junk`, { maxHeaderBytes: 4 })).rejects.toThrow(/HeaderTooLarge/);
    await expect(io.fetchSafetensors('http://127.0.0.1:1/none')).rejects.toThrow(TypeError); // connection refused
    await expect(io.fetchSafetensors(`${base}/model.safetensors`, { retries: 3 } as never)).rejects.toThrow(/fetchSafetensors: unknown option 'retries'/);
    await expect(io.fetchSafetensors(new URL(`${base}/model.safetensors`) as never)).rejects.toThrow(/expected the URL as a string, got object/);
    await expect(io.fetchSafetensors('x', { fetchFunc: async () => ({}) as never })).rejects.toThrow(/fetchSafetensors: expected a Response-like object/);
  });
});
