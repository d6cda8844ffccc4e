/**
 * m5 — SGD and Adam: a few steps on parameters whose gradients the test sets by hand (no
 * backward needed), against the update rules written in plain JavaScript.
 */
import { describe, it } from 'vitest';
import { optim, tensor, type Tensor } from 'tsgrad';
import { expectClose, randomValues, seeded, values } from './helpers.js';

interface SgdOptions { lr: number; momentum?: number; dampening?: number; weightDecay?: number; nesterov?: boolean; maximize?: boolean }
interface AdamOptions { lr: number; betas?: [number, number]; eps?: number; weightDecay?: number; amsgrad?: boolean; maximize?: boolean }

/** Runs `steps` updates of `make(param)` with the given gradients; returns the parameter after each. */
function run(make: (p: Tensor) => { step(): void }, start: readonly number[], grads: readonly number[][]): number[][] {
  const p = tensor([...start], { dtype: 'float64', requiresGrad: true });
  const opt = make(p);
  return grads.map((g) => {
    p.grad = tensor([...g], { dtype: 'float64' });
    opt.step();
    return values(p);
  });
}

function sgdRef(start: readonly number[], grads: readonly number[][], o: SgdOptions): number[][] {
  const theta = [...start];
  let buf: number[] | null = null;
  const mu = o.momentum ?? 0, tau = o.dampening ?? 0, wd = o.weightDecay ?? 0;
  return grads.map((grad) => {
    let g = grad.map((v, i) => (o.maximize ? -v : v) + wd * theta[i]);
    if (mu !== 0) {
      const prev: number[] | null = buf;
      const next: number[] = prev === null ? [...g] : prev.map((b, i) => mu * b + (1 - tau) * g[i]);
      buf = next;
      g = o.nesterov ? g.map((v, i) => v + mu * next[i]) : next;
    }
    g.forEach((v, i) => (theta[i] -= o.lr * v));
    return [...theta];
  });
}

function adamRef(start: readonly number[], grads: readonly number[][], o: AdamOptions, decoupled: boolean): number[][] {
  const theta = [...start];
  const [b1, b2] = o.betas ?? [0.9, 0.999];
  const eps = o.eps ?? 1e-8, wd = o.weightDecay ?? (decoupled ? 1e-2 : 0);
  const m = theta.map(() => 0), v = theta.map(() => 0), vMax = theta.map(() => 0);
  return grads.map((grad, step) => {
    const t = step + 1;
    theta.forEach((x, i) => {
      if (decoupled) theta[i] = x * (1 - o.lr * wd);
      const g = (o.maximize ? -grad[i] : grad[i]) + (decoupled ? 0 : wd * theta[i]);
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      vMax[i] = Math.max(vMax[i], v[i]);
      const vHat = (o.amsgrad ? vMax[i] : v[i]) / (1 - b2 ** t);
      theta[i] -= (o.lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(vHat) + eps);
    });
    return [...theta];
  });
}

const random = seeded(51);
const start = randomValues([6], random);
const grads = [0, 1, 2, 3].map(() => randomValues([6], random));

/** Compares every step; one message per step. */
function expectSteps(actual: number[][], expected: number[][], what: string): void {
  expected.forEach((e, t) => expectClose(actual[t], e, `${what}, after step ${t + 1}`, 1e-12, 1e-9));
}

describe('m5: SGD and Adam', () => {
  it('m5: plain SGD: θ ← θ − γ·(∇ + λθ)', () => {
    for (const o of [{ lr: 0.1 }, { lr: 0.05, weightDecay: 0.1 }, { lr: 0.1, maximize: true }] as SgdOptions[]) {
      expectSteps(run((p) => new optim.SGD([p], o), start, grads), sgdRef(start, grads, o), `SGD ${JSON.stringify(o)}`);
    }
  });

  it('m5: SGD with momentum, dampening and Nesterov', () => {
    const cases: SgdOptions[] = [{ lr: 0.1, momentum: 0.9 }, { lr: 0.1, momentum: 0.8, dampening: 0.3, weightDecay: 0.01 }, { lr: 0.05, momentum: 0.9, nesterov: true }];
    for (const o of cases) expectSteps(run((p) => new optim.SGD([p], o), start, grads), sgdRef(start, grads, o), `SGD ${JSON.stringify(o)}`);
  });

  it('m5: Adam with bias correction', () => {
    for (const o of [{ lr: 0.01 }, { lr: 0.1, betas: [0.8, 0.99], eps: 1e-6 }] as AdamOptions[]) {
      expectSteps(run((p) => new optim.Adam([p], o), start, grads), adamRef(start, grads, o, false), `Adam ${JSON.stringify(o)}`);
    }
  });

  it('m5: Adam with weight decay, AMSGrad and maximize; AdamW decouples the decay', () => {
    for (const o of [{ lr: 0.05, weightDecay: 0.1 }, { lr: 0.05, amsgrad: true }, { lr: 0.05, maximize: true }] as AdamOptions[]) {
      expectSteps(run((p) => new optim.Adam([p], o), start, grads), adamRef(start, grads, o, false), `Adam ${JSON.stringify(o)}`);
    }
    const o: AdamOptions = { lr: 0.05, weightDecay: 0.1 };
    expectSteps(run((p) => new optim.AdamW([p], o), start, grads), adamRef(start, grads, o, true), 'AdamW');
  });
});
