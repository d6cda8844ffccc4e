// usage: tsx header-bench.ts <n> <stage: parse|decode|load>
import { io } from 'tsgrad';
import { decodeSafetensors } from './src/io/safetensors-read.ts';
const n = Number(process.argv[2] ?? 1e6);
const stage = process.argv[3] ?? 'load';
const parts: string[] = [];
for (let i = 0; i < n; i++) parts.push(`"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
const json = `{${parts.join(',')}}`;
const text = new TextEncoder().encode(json);
const bytes = new Uint8Array(8 + text.length);
new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
bytes.set(text, 8);
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
let count = 0;
try {
  if (stage === 'decode') count = decodeSafetensors(bytes).tensors.size;
  else count = Object.keys(io.loadSafetensors(bytes)).length;
} catch (e) { console.log('threw', (e as Error).name, (e as Error).message.slice(0, 200)); }
const t1 = performance.now();
console.log(JSON.stringify({ n, stage, headerMB: text.length / 1e6, count, ms: Math.round(t1 - t0), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), rss0MB: Math.round(rss0 / 2 ** 20) }));
