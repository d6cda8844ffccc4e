/**
 * Toy datasets of 2-d points in the unit square with 0/1 labels: small problems whose decision
 * boundary one can draw, for first models and for exercises. Each returns `x` [n, 2] (float32)
 * and `y` [n] (int32). The points come from `RandomGenerator(seed)` when a seed is given (the
 * same points on every platform), else from the global generator (`manualSeed`).
 *
 *   simple  y = 1 left of x₀ = 0.5            diag    y = 1 below the diagonal x₀ + x₁ = 0.5
 *   split   y = 1 in the outer strips x₀ < 0.2 or x₀ > 0.8
 *   xor     y = 1 in the top-left and bottom-right quarters
 *   circle  y = 1 outside the circle of radius √0.1 around the centre
 *   spiral  two interleaved spiral arms, one per class
 *   moons   two interlocking half circles, one per class
 */
import { ShapeError } from '../errors.js';
import { checkOptions } from '../options.js';
import { nextFloat, nextNormal, RandomGenerator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of every toy dataset. */
export interface ToyOptions {
  /** Draw from a generator seeded with this (default: the global generator). */
  seed?: number;
  /** Standard deviation of Gaussian noise added to each coordinate of `spiral` and `moons` (default 0). */
  noise?: number;
}

/** A toy dataset: points [n, 2] and their labels [n]. */
export interface ToyData {
  /** The points, [n, 2] float32. */
  x: Tensor;
  /** Their labels, [n] int32, each 0 or 1. */
  y: Tensor;
}

/** Where the random numbers come from. */
interface Draw {
  uniform(): number;
  normal(): number;
}

function drawFrom(op: string, opts: ToyOptions): Draw {
  checkOptions(`data.toy.${op}`, opts, ['seed', 'noise']);
  if (opts.noise !== undefined && !(opts.noise >= 0)) throw new RangeError(`data.toy.${op}: noise must be a number ≥ 0, got ${opts.noise}`);
  if (opts.seed === undefined) return { uniform: nextFloat, normal: nextNormal };
  const g = new RandomGenerator(opts.seed);
  return { uniform: () => g.nextFloat(), normal: () => g.nextNormal() };
}

function checkCount(op: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new ShapeError(`data.toy.${op}: n must be a non-negative integer, got ${n}`);
}

function toTensors(points: Float32Array, labels: Int32Array): ToyData {
  return { x: new Tensor(points, [labels.length, 2]), y: new Tensor(labels, [labels.length]) };
}

/** n uniform points labelled by `rule(x₀, x₁)`. */
function uniformPoints(op: string, n: number, opts: ToyOptions, rule: (x0: number, x1: number) => boolean): ToyData {
  checkCount(op, n);
  const draw = drawFrom(op, opts);
  const points = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = draw.uniform();
    const x1 = draw.uniform();
    points[2 * i] = x0;
    points[2 * i + 1] = x1;
    labels[i] = rule(x0, x1) ? 1 : 0;
  }
  return toTensors(points, labels);
}

/** y = 1 where x₀ < 0.5. @example data.toy.simple(50, { seed: 0 }).x.shape // [50, 2] */
export function simple(n: number, opts: ToyOptions = {}): ToyData {
  return uniformPoints('simple', n, opts, (x0) => x0 < 0.5);
}

/** y = 1 where x₀ + x₁ < 0.5. */
export function diag(n: number, opts: ToyOptions = {}): ToyData {
  return uniformPoints('diag', n, opts, (x0, x1) => x0 + x1 < 0.5);
}

/** y = 1 where x₀ < 0.2 or x₀ > 0.8 (no single line separates the classes). */
export function split(n: number, opts: ToyOptions = {}): ToyData {
  return uniformPoints('split', n, opts, (x0) => x0 < 0.2 || x0 > 0.8);
}

/** y = 1 where exactly one of x₀, x₁ is above 0.5 and the other below. */
export function xor(n: number, opts: ToyOptions = {}): ToyData {
  return uniformPoints('xor', n, opts, (x0, x1) => (x0 < 0.5 && x1 > 0.5) || (x0 > 0.5 && x1 < 0.5));
}

/** y = 1 where (x₀ − 0.5)² + (x₁ − 0.5)² > 0.1. */
export function circle(n: number, opts: ToyOptions = {}): ToyData {
  return uniformPoints('circle', n, opts, (x0, x1) => (x0 - 0.5) ** 2 + (x1 - 0.5) ** 2 > 0.1);
}

/**
 * Points on curves, ⌈n/2⌉ of class 0 then ⌊n/2⌋ of class 1: `curve(class, t)` for t evenly
 * spaced in [0, 1], plus N(0, noise²) per coordinate.
 */
function curvePoints(op: string, n: number, opts: ToyOptions, curve: (label: number, t: number) => [number, number]): ToyData {
  checkCount(op, n);
  const draw = drawFrom(op, opts);
  const noise = opts.noise ?? 0;
  const points = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  const firstClass = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const label = i < firstClass ? 0 : 1;
    const count = label === 0 ? firstClass : n - firstClass;
    const t = count > 1 ? (label === 0 ? i : i - firstClass) / (count - 1) : 0;
    const [x0, x1] = curve(label, t);
    points[2 * i] = x0 + (noise > 0 ? noise * draw.normal() : 0);
    points[2 * i + 1] = x1 + (noise > 0 ? noise * draw.normal() : 0);
    labels[i] = label;
  }
  return toTensors(points, labels);
}

/**
 * Two spiral arms around the centre (0.5, 0.5), each turning 1.5 times while its radius grows
 * from 0.05 to 0.45; class 1's arm is class 0's turned by half a turn.
 */
export function spiral(n: number, opts: ToyOptions = {}): ToyData {
  return curvePoints('spiral', n, opts, (label, t) => {
    const radius = 0.05 + 0.4 * t;
    const angle = 3 * Math.PI * t + label * Math.PI;
    return [0.5 + radius * Math.cos(angle), 0.5 + radius * Math.sin(angle)];
  });
}

/**
 * Two interlocking half circles of radius 1 (class 0 the upper, centred at (0, 0); class 1 the
 * lower, centred at (1, 0.5)), scaled into the unit square: (u, v) → ((u + 1)/3, (v + 0.5)/1.5).
 */
export function moons(n: number, opts: ToyOptions = {}): ToyData {
  return curvePoints('moons', n, opts, (label, t) => {
    const angle = Math.PI * t;
    const [u, v] = label === 0 ? [Math.cos(angle), Math.sin(angle)] : [1 - Math.cos(angle), 0.5 - Math.sin(angle)];
    return [(u + 1) / 3, (v + 0.5) / 1.5];
  });
}
