/**
 * examples/federated-mnist.ts in small: three rounds of FedAvg across four worker-thread clients
 * raise held-out accuracy; the shards are disjoint and non-IID; the weighted average is Σ (nₖ/n)·wₖ;
 * and a worker that throws, or never answers, fails the round with an error naming it (no hang),
 * its workers terminated.
 */
import { describe, expect, it } from 'vitest';
import { io, tensor } from '../../src/index.js';
import { runFederatedMnist } from '../../examples/federated-mnist.js';
import { nonIidShard } from '../../examples/lib/federated-protocol.js';
import { weightedAverage } from '../../examples/lib/federated-server.js';
import { loadMnist } from '../../examples/lib/mnist-data.js';
import { mnistMlp } from '../../examples/mlp-mnist.js';

/** A client worker from tests/examples/fixtures/ whose client 1 misbehaves. */
const fixture = (kind: 'throwing' | 'silent') => new URL(`./fixtures/${kind}-federated-client.ts`, import.meta.url);

describe('examples/federated-mnist', () => {
  it('three rounds of FedAvg across four clients raise held-out accuracy', async () => {
    const run = await runFederatedMnist({
      clients: 4, rounds: 3, fraction: 1, trainSize: 1600, testSize: 300, seed: 1, training: { lr: 0.05 },
    });
    expect(run.shards.map((s) => s.digits)).toEqual([[0, 1], [1, 2], [2, 3], [3, 4]]);
    expect(run.rounds.map((r) => r.clients)).toEqual([[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]]);
    const final = run.rounds[2];
    expect(final.accuracy).toBeGreaterThan(run.initialAccuracy + 0.1);
    expect(final.centralizedAccuracy!).toBeGreaterThan(run.initialAccuracy + 0.1);
    // Only weights travel: the MLP's safetensors file, once down and once up per sampled client.
    const fileSize = io.saveSafetensors(mnistMlp().stateDict()).byteLength;
    expect(final.bytesDown).toBe(4 * fileSize);
    expect(final.bytesUp).toBe(4 * fileSize);
    expect(final.samplePasses).toBe(run.shards.reduce((n, s) => n + s.samples, 0));
  }, 30_000);

  it('deals each digit to the clients holding it: disjoint shards of two digits each', () => {
    const labels = loadMnist({ trainSize: 1000, testSize: 0 }).train.labels.data() as Int32Array;
    const shards = Array.from({ length: 10 }, (_, c) => nonIidShard(labels, c, 10));
    const all = shards.flatMap((s) => Array.from(s));
    expect(new Set(all).size).toBe(1000);
    shards.forEach((shard, c) => expect(new Set(Array.from(shard, (i) => labels[i]))).toEqual(new Set([c, (c + 1) % 10])));
    expect(() => nonIidShard(labels, 4, 4)).toThrow(/client 4 of 4 clients/);
  });

  it('rejects unknown options before starting any worker', async () => {
    await expect(runFederatedMnist({ rounds: 1, training: { learningRate: 0.1 } as never })).rejects.toThrow(/unknown training option 'learningRate'/);
    await expect(runFederatedMnist({ round: 1 } as never)).rejects.toThrow(/unknown option 'round'/);
  });

  it('averages state dicts weighted by sample counts', () => {
    const avg = weightedAverage([{ w: tensor([1, 2]) }, { w: tensor([4, 8]) }], [1, 2]);
    expect(Array.from(avg.w.toTypedArray())).toEqual([3, 6]);
    expect(() => weightedAverage([{ w: tensor([1, 2]) }, { w: tensor([1, 2, 3]) }], [1, 1])).toThrow(/shape \[3\]/);
  });

  it('a worker that throws fails the round with its error; one that never answers, with a timeout', async () => {
    const opts = { clients: 4, rounds: 2, fraction: 1, trainSize: 100, testSize: 50, centralized: false, timeoutMs: 20_000 };
    await expect(runFederatedMnist({ ...opts, clientScript: fixture('throwing') })).rejects.toThrow(
      "federated round 1 failed: federated client 1 (training in round 1) threw: simulated failure in local training",
    );
    const started = performance.now();
    await expect(runFederatedMnist({ ...opts, clientScript: fixture('silent'), timeoutMs: 1500 })).rejects.toThrow(
      'federated round 1 failed: federated client 1 (training in round 1) did not answer within 1.5 s',
    );
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
