/**
 * The library's seeded random generator. Every random function (rand, randn, randint, dropout,
 * init, shuffling) draws from it, so `manualSeed(s)` reproduces the same numbers on every platform.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna), a 128-bit-state generator built only from 32-bit
 * integer operations (`Math.imul`, shifts, xor), which JavaScript computes identically everywhere.
 * The seed is expanded into the state with SplitMix32. Normals use the Box–Muller transform.
 *
 * The module-level functions draw from one global stream; a component that needs a reproducible
 * sequence of its own, untouched by other draws (DataLoader's `seed` option), makes a
 * `RandomGenerator`.
 */

/** SplitMix32 step: a well-mixed 32-bit value from a counter (used only to seed). */
function splitMix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** An independent xoshiro128** stream with its own 128-bit state. */
export class RandomGenerator {
  private readonly state = new Uint32Array(4);

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Resets the state from `seed`. The same seed gives the same sequence on every platform. */
  seed(seed: number): void {
    const state = this.state;
    let x = Math.floor(seed) | 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      state[i] = splitMix32(x);
    }
    if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal sample by Box–Muller; 1 − u keeps the logarithm's argument in (0, 1]. */
  nextNormal(): number {
    const u = 1 - this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [low, high). */
  nextInt(low: number, high: number): number {
    return low + Math.floor(this.nextFloat() * (high - low));
  }
}

const globalGenerator = new RandomGenerator(0);

/** Seeds the global generator. The same seed gives the same sequence on every platform. */
export function manualSeed(seed: number): void {
  globalGenerator.seed(seed);
}

/** Next 32-bit unsigned integer from the global generator. */
export function nextUint32(): number {
  return globalGenerator.nextUint32();
}

/** Uniform float in [0, 1) from the global generator. */
export function nextFloat(): number {
  return globalGenerator.nextFloat();
}

/** Standard normal sample from the global generator. */
export function nextNormal(): number {
  return globalGenerator.nextNormal();
}

/** Uniform integer in [low, high) from the global generator. */
export function nextInt(low: number, high: number): number {
  return globalGenerator.nextInt(low, high);
}
