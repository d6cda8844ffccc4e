/** Bun entry: `bun bun-main.mjs weights.safetensors`, with the app's node_modules. */
import { inferenceLine } from './inference.js';

/** The part of Bun's global this entry uses (the repository has no Bun types). */
declare const Bun: { argv: string[]; version: string; file(path: string): { bytes(): Promise<Uint8Array> } };

console.log(inferenceLine(Bun.version, await Bun.file(Bun.argv[2]).bytes()));
