/**
 * Float64 references of PyTorch's documented update rules, written from the algorithm boxes of
 * the torch.optim docs on plain number arrays, one whole-vector operation per line (deliberately
 * unlike the fused loops in src/optim). Each reference is a stateful step function: call it with
 * θ and the gradient, it returns the new θ.
 *
 * One convention follows PyTorch's implementation where its docs are ambiguous: `maximize`
 * negates the gradient before weight decay is added, and AMSGrad keeps the maximum of the raw
 * second moment v, dividing by the bias correction afterwards.
 */

export type Vec = number[];
export type RefStep = (theta: Vec, grad: Vec) => Vec;

const add = (a: Vec, b: Vec): Vec => a.map((x, i) => x + b[i]);
const scale = (a: Vec, s: number): Vec => a.map((x) => x * s);
const mulv = (a: Vec, b: Vec): Vec => a.map((x, i) => x * b[i]);
const divv = (a: Vec, b: Vec): Vec => a.map((x, i) => x / b[i]);
const sqrtv = (a: Vec): Vec => a.map(Math.sqrt);
const addScalar = (a: Vec, s: number): Vec => a.map((x) => x + s);

export interface SGDRef { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean }

export function sgdReference(o: SGDRef): RefStep {
  let b: Vec | null = null;
  return (theta, grad) => {
    let g = o.maximize ? scale(grad, -1) : grad;
    if (o.weightDecay !== 0) g = add(g, scale(theta, o.weightDecay));
    if (o.momentum !== 0) {
      b = b === null ? g : add(scale(b, o.momentum), scale(g, 1 - o.dampening));
      g = o.nesterov ? add(g, scale(b, o.momentum)) : b;
    }
    return add(theta, scale(g, -o.lr));
  };
}

export interface AdamRef { lr: number; betas: [number, number]; eps: number; weightDecay: number; amsgrad: boolean; maximize: boolean; decoupled: boolean }

export function adamReference(o: AdamRef): RefStep {
  const [b1, b2] = o.betas;
  let m: Vec | null = null;
  let v: Vec | null = null;
  let vMax: Vec | null = null;
  let t = 0;
  return (theta, grad) => {
    t++;
    m ??= grad.map(() => 0);
    v ??= grad.map(() => 0);
    vMax ??= grad.map(() => 0);
    let g = o.maximize ? scale(grad, -1) : grad;
    if (o.decoupled) theta = scale(theta, 1 - o.lr * o.weightDecay);
    else if (o.weightDecay !== 0) g = add(g, scale(theta, o.weightDecay));
    m = add(scale(m, b1), scale(g, 1 - b1));
    v = add(scale(v, b2), scale(mulv(g, g), 1 - b2));
    const mHat = scale(m, 1 / (1 - b1 ** t));
    let second = v;
    if (o.amsgrad) {
      vMax = vMax.map((x, i) => Math.max(x, second[i]));
      second = vMax;
    }
    const vHat = scale(second, 1 / (1 - b2 ** t));
    return add(theta, scale(divv(mHat, addScalar(sqrtv(vHat), o.eps)), -o.lr));
  };
}

export interface RMSpropRef { lr: number; alpha: number; eps: number; weightDecay: number; momentum: number; centered: boolean; maximize: boolean }

export function rmspropReference(o: RMSpropRef): RefStep {
  let v: Vec | null = null;
  let gAvg: Vec | null = null;
  let b: Vec | null = null;
  return (theta, grad) => {
    v ??= grad.map(() => 0);
    gAvg ??= grad.map(() => 0);
    b ??= grad.map(() => 0);
    let g = o.maximize ? scale(grad, -1) : grad;
    if (o.weightDecay !== 0) g = add(g, scale(theta, o.weightDecay));
    v = add(scale(v, o.alpha), scale(mulv(g, g), 1 - o.alpha));
    let vTilde = v;
    if (o.centered) {
      gAvg = add(scale(gAvg, o.alpha), scale(g, 1 - o.alpha));
      vTilde = add(vTilde, scale(mulv(gAvg, gAvg), -1));
    }
    const denom = addScalar(sqrtv(vTilde), o.eps);
    if (o.momentum > 0) {
      b = add(scale(b, o.momentum), divv(g, denom));
      return add(theta, scale(b, -o.lr));
    }
    return add(theta, scale(divv(g, denom), -o.lr));
  };
}

export interface AdagradRef { lr: number; lrDecay: number; weightDecay: number; initialAccumulatorValue: number; eps: number; maximize: boolean }

export function adagradReference(o: AdagradRef): RefStep {
  let sum: Vec | null = null;
  let t = 0;
  return (theta, grad) => {
    t++;
    sum ??= grad.map(() => o.initialAccumulatorValue);
    const lr = o.lr / (1 + (t - 1) * o.lrDecay);
    let g = o.maximize ? scale(grad, -1) : grad;
    if (o.weightDecay !== 0) g = add(g, scale(theta, o.weightDecay));
    sum = add(sum, mulv(g, g));
    return add(theta, scale(divv(g, addScalar(sqrtv(sum), o.eps)), -lr));
  };
}
