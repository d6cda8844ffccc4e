/**
 * The ring of Gaussians, the standard toy problem for mode collapse: `modes` equal-weight
 * isotropic Gaussians N(cₖ, σ²I) with centres cₖ = radius·(cos 2πk/modes, sin 2πk/modes).
 * A generator that collapses covers a few modes well; one that blurs puts points between them.
 * `modeCoverage` measures both: a sample is "good" when it lies within 3σ of its nearest centre,
 * and a mode counts as covered when it gets at least `minShare` of all samples as good ones.
 */
import { randint, randn, tensor, type Tensor } from 'tsgrad';

/** Geometry of the ring. */
export interface Ring {
  modes: number;
  radius: number;
  std: number;
}

/** The ring used by the example and its test: 8 modes on a circle of radius 2, σ = 0.1. */
export const defaultRing: Ring = { modes: 8, radius: 2, std: 0.1 };

/** The mode centres, [modes, 2]. */
export function ringCentres(ring: Ring): Tensor {
  const xy: number[][] = [];
  for (let k = 0; k < ring.modes; k++) {
    const angle = (2 * Math.PI * k) / ring.modes;
    xy.push([ring.radius * Math.cos(angle), ring.radius * Math.sin(angle)]);
  }
  return tensor(xy);
}

/** n points from the mixture, [n, 2] (a uniformly chosen centre plus σ·ε, ε ~ N(0, I)). */
export function sampleRing(n: number, ring: Ring): Tensor {
  const which = randint(0, ring.modes, [n]);
  return ringCentres(ring).indexSelect(0, which).add(randn([n, 2]).mul(ring.std));
}

/** What `modeCoverage` reports. */
export interface Coverage {
  /** Good samples (within 3σ) per mode. */
  goodPerMode: number[];
  /** Modes whose good samples are at least minShare of all samples. */
  modesCovered: number;
  /** Share of all samples within 3σ of some centre. */
  goodShare: number;
}

/** Mode coverage of generated `points` [n, 2]; a mode counts as covered with ≥ minShare (default 5%) of the samples. */
export function modeCoverage(points: Tensor, ring: Ring, minShare = 0.05): Coverage {
  const n = points.shape[0];
  // distance of every point to every centre: [n, modes]
  const distances = points.unsqueeze(1).sub(ringCentres(ring).unsqueeze(0)).pow(2).sum(-1).sqrt();
  const nearest = distances.min(1);
  const dist = nearest.values.toTypedArray();
  const mode = nearest.indices.toTypedArray();
  const goodPerMode = new Array<number>(ring.modes).fill(0);
  for (let i = 0; i < n; i++) if (dist[i] <= 3 * ring.std) goodPerMode[mode[i]]++;
  const good = goodPerMode.reduce((a, b) => a + b, 0);
  return {
    goodPerMode,
    modesCovered: goodPerMode.filter((count) => count >= minShare * n).length,
    goodShare: good / n,
  };
}
