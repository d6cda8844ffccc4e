/** Deno entry: `deno run --allow-read deno-main.mjs weights.safetensors`, with the app's node_modules. */
import { inferenceLine } from './inference.js';

/** The part of Deno's global this entry uses (the repository has no Deno types). */
declare const Deno: { args: string[]; version: { deno: string }; readFile(path: string): Promise<Uint8Array> };

console.log(inferenceLine(Deno.version.deno, await Deno.readFile(Deno.args[0])));
