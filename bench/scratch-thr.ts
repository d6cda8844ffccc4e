import { createThreadedBackend } from '../src/node/threaded-backend.js';
import { cpuBackend } from '../src/kernels/registry.js';
const t0 = performance.now();
const be = await createThreadedBackend({ threads: 2 });
console.log('start ms', (performance.now() - t0).toFixed(0));
for (const n of [128, 256, 512, 1024]) {
  const a = new Float32Array(n*n).map(()=>Math.random()), b = new Float32Array(n*n).map(()=>Math.random());
  const o1 = new Float32Array(n*n), o2 = new Float32Array(n*n);
  const spec = { batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
  const time = (f: () => void) => { f(); const ts: number[] = []; for (let i = 0; i < (n >= 1024 ? 3 : 8); i++) { const t = performance.now(); f(); ts.push(performance.now() - t); } ts.sort((x, y) => x - y); return ts[ts.length >> 1]; };
  const t1 = time(() => cpuBackend.matmul(a, b, o1, spec)), t2 = time(() => be.matmul(a, b, o2, spec));
  let same = true; for (let i = 0; i < o1.length; i++) if (o1[i] !== o2[i]) { same = false; break; }
  console.log(n, 'single', t1.toFixed(1), 'threads', t2.toFixed(1), 'speedup', (t1 / t2).toFixed(2), 'equal', same);
}
const s = { batch: 32, inChannels: 16, inH: 28, inW: 28, outChannels: 32, kH: 3, kW: 3, outH: 28, outW: 28, strideH: 1, strideW: 1, padTop: 1, padLeft: 1, dilationH: 1, dilationW: 1, groups: 1 };
const x = new Float32Array(32*16*784).map(()=>Math.random()), w = new Float32Array(32*16*9).map(()=>Math.random()), g = new Float32Array(32*32*784).map(()=>Math.random());
const o = new Float32Array(g.length), gx = new Float32Array(x.length), gw = new Float32Array(w.length);
for (const [name, bk] of [['single', cpuBackend], ['threads', be]] as const) {
  const f = () => { bk.conv2d(x, w, o, s); bk.conv2dInputGrad(g, w, gx, s); bk.conv2dWeightGrad(x, g, gw, s); };
  f(); const ts: number[] = []; for (let i = 0; i < 5; i++) { const t = performance.now(); f(); ts.push(performance.now() - t); } ts.sort((p, q) => p - q);
  console.log('conv fwd+bwd', name, ts[2].toFixed(1), o[123], gx[456], gw[78]);
}
console.log('done; exiting without close()');
