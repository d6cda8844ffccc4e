/**
 * The server side of federated averaging: client workers with a deadline on every wait, the
 * weighted average of their weights, and the round loop with seeded client sampling.
 *
 * FedAvg (McMahan et al., 2017): each round the server sends the global weights w to a sample of
 * the clients; client k trains them on its own nₖ samples to wₖ and sends wₖ back; the new global
 * weights are w ← Σₖ (nₖ / n) wₖ with n = Σₖ nₖ over the sampled clients. FedProx (Li et al., 2020)
 * adds μ/2·‖w − w_global‖² to each client's loss, which keeps clients with very different data
 * from drifting apart.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { io, noGrad, randperm, RandomGenerator, type Module, type Tensor } from 'tsgrad';
import type { ClientMessage, ClientSetup, ClientUpdate, LocalTraining, TrainRequest } from './federated-protocol.js';

/**
 * Starts a worker thread on a TypeScript file: a small CommonJS script registers tsx's in-thread
 * require hook, then loads the file (Node 20 does not run `--import tsx` loader hooks inside
 * workers; src/node/worker-pool.ts starts its kernel workers the same way).
 */
function startTsWorker(script: URL, workerData: unknown): Worker {
  const tsxHook = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const source = `require(${JSON.stringify(tsxHook)}).register(); require(${JSON.stringify(fileURLToPath(script))});`;
  return new Worker(source, { eval: true, workerData });
}

/** A wait on a client that has not ended yet. */
interface Pending {
  expect: ClientMessage['kind'];
  what: string;
  resolve: (message: ClientMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One client worker. Every wait on it has a deadline; an exception in the worker, its exit or a
 * message out of turn ends the wait with an error naming the client and what it was doing, and
 * the client is unusable afterwards.
 */
export class FederatedClient {
  /** Training samples the client holds (the weight of its updates). */
  samples = 0;
  /** Its digits. */
  digits: number[] = [];
  private pending: Pending | null = null;
  private failure: Error | null = null;

  private constructor(readonly id: number, private readonly worker: Worker) {
    worker.on('message', (message: ClientMessage) => this.receive(message));
    worker.on('error', (error: Error) => this.fail(`threw: ${error.message}`));
    worker.on('exit', (code: number) => this.fail(`exited (code ${code})`));
  }

  /** Starts the worker on `script` and waits (at most `timeoutMs`) for its 'ready'. */
  static async start(setup: ClientSetup, timeoutMs: number, script: URL): Promise<FederatedClient> {
    const client = new FederatedClient(setup.client, startTsWorker(script, setup));
    try {
      const ready = await client.wait('ready', 'starting', timeoutMs);
      if (ready.kind !== 'ready') throw new Error(`federated client ${setup.client}: expected 'ready', got '${ready.kind}'`);
      if (ready.samples < 1) throw new Error(`federated client ${setup.client}: its shard (digits ${ready.digits.join(', ')}) is empty`);
      client.samples = ready.samples;
      client.digits = ready.digits;
      return client;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  /** Sends the global weights of `round` and waits (at most `timeoutMs`) for the trained ones. */
  async train(round: number, weights: Uint8Array, training: LocalTraining, timeoutMs: number): Promise<ClientUpdate> {
    const request: TrainRequest = { kind: 'train', round, weights, training };
    const reply = this.wait('update', `training in round ${round}`, timeoutMs);
    if (this.failure === null) this.worker.postMessage(request);
    const update = await reply;
    if (update.kind !== 'update' || update.round !== round) throw new Error(`federated client ${this.id}: expected the update of round ${round}`);
    return update;
  }

  /** Stops the worker (a pending wait ends with an error). */
  async close(): Promise<void> {
    this.fail('was closed');
    await this.worker.terminate();
  }

  private wait(expect: ClientMessage['kind'], what: string, timeoutMs: number): Promise<ClientMessage> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.pending !== null) return Promise.reject(new Error(`federated client ${this.id}: already ${this.pending.what}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`did not answer within ${timeoutMs / 1000} s`), timeoutMs);
      this.pending = { expect, what, resolve, reject, timer };
    });
  }

  private receive(message: ClientMessage): void {
    const pending = this.pending;
    if (pending === null || message.kind !== pending.expect) {
      this.fail(`sent '${message.kind}' out of turn`);
      return;
    }
    clearTimeout(pending.timer);
    this.pending = null;
    pending.resolve(message);
  }

  /** Marks the client failed (the first reason wins) and ends a pending wait with it. */
  private fail(reason: string): void {
    const pending = this.pending;
    this.failure ??= new Error(`federated client ${this.id}${pending ? ` (${pending.what})` : ''} ${reason}`);
    if (pending === null) return;
    clearTimeout(pending.timer);
    this.pending = null;
    pending.reject(this.failure);
  }
}

/**
 * The weighted average Σₖ (nₖ / n)·stateₖ of state dicts with equal names and shapes, `weights`
 * the nₖ (sample counts). Only floating-point tensors can be averaged.
 */
export function weightedAverage(states: Record<string, Tensor>[], weights: number[]): Record<string, Tensor> {
  if (states.length === 0 || states.length !== weights.length) {
    throw new Error(`weightedAverage: needs one weight per state dict, got ${states.length} state dicts and ${weights.length} weights`);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0) || weights.some((w) => !(w >= 0))) throw new Error(`weightedAverage: weights must be ≥ 0 with a positive sum, got [${weights.join(', ')}]`);
  const names = Object.keys(states[0]).sort();
  const average: Record<string, Tensor> = {};
  noGrad(() => {
    for (const name of names) {
      const first = states[0][name];
      if (first.dtype !== 'float32' && first.dtype !== 'float64') throw new Error(`weightedAverage: '${name}' is ${first.dtype}; only floating-point tensors are averaged`);
      average[name] = states.reduce((sum: Tensor | null, state, k) => {
        const t = state[name];
        if (t === undefined || t.shape.join() !== first.shape.join()) {
          throw new Error(`weightedAverage: state dict ${k} has '${name}' ${t ? `of shape [${t.shape.join(', ')}]` : 'missing'}, state dict 0 of shape [${first.shape.join(', ')}]`);
        }
        const term = t.mul(weights[k] / total);
        return sum === null ? term : sum.add(term);
      }, null)!;
    }
    states.forEach((state, k) => {
      if (Object.keys(state).length !== names.length) throw new Error(`weightedAverage: state dict ${k} has ${Object.keys(state).length} tensors, state dict 0 has ${names.length}`);
    });
  });
  return average;
}

/** The `count` of `clients` clients sampled for a round (without replacement, in increasing order). */
export function sampleClients(clients: number, count: number, generator: RandomGenerator): number[] {
  const order = randperm(clients, { generator }).data() as Int32Array;
  return Array.from(order.subarray(0, count)).sort((a, b) => a - b);
}

/** How the server runs. */
export interface FederatedConfig {
  rounds: number;
  /** Fraction of the clients sampled each round (at least one client). */
  fraction: number;
  /** Seeds the client sampling. */
  seed: number;
  /** Deadline of each wait on a worker: its start, and each round's local training. */
  timeoutMs: number;
  training: LocalTraining;
}

/** What one round did. */
export interface RoundReport {
  round: number;
  clients: number[];
  /** Σ nₖ·epochs over the sampled clients: the samples the round trained on, counted with repeats. */
  samplePasses: number;
  /** Mean local training loss, weighted by sample count. */
  loss: number;
  /** Bytes sent to the clients (the global weights to each) and back (their weights). */
  bytesDown: number;
  bytesUp: number;
}

/**
 * Runs `config.rounds` rounds of federated averaging on `global` (updated in place) with the
 * started `clients`, calling `onRound` after each (evaluate there). A failing client fails the
 * round, and the run, with its error. The clients are left running: the caller closes them.
 */
export async function federatedAveraging(
  global: Module,
  clients: FederatedClient[],
  config: FederatedConfig,
  onRound: (report: RoundReport) => void,
): Promise<RoundReport[]> {
  const perRound = Math.max(1, Math.round(config.fraction * clients.length));
  const generator = new RandomGenerator(config.seed);
  const reports: RoundReport[] = [];
  for (let round = 1; round <= config.rounds; round++) {
    const chosen = sampleClients(clients.length, perRound, generator);
    const weights = io.saveSafetensors(global.stateDict());
    let updates: ClientUpdate[];
    try {
      updates = await Promise.all(chosen.map((k) => clients[k].train(round, weights, config.training, config.timeoutMs)));
    } catch (error) {
      throw new Error(`federated round ${round} failed: ${(error as Error).message}`, { cause: error });
    }
    const counts = updates.map((u) => u.samples);
    global.loadStateDict(weightedAverage(updates.map((u) => io.loadSafetensors(u.weights)), counts));
    const n = counts.reduce((a, b) => a + b, 0);
    const report: RoundReport = {
      round,
      clients: chosen,
      samplePasses: n * config.training.epochs,
      loss: updates.reduce((s, u) => s + u.loss * u.samples, 0) / n,
      bytesDown: weights.byteLength * chosen.length,
      bytesUp: updates.reduce((s, u) => s + u.weights.byteLength, 0),
    };
    reports.push(report);
    onRound(report);
  }
  return reports;
}

/** Starts one worker per client (in parallel); if any fails to start, the others are closed and the error thrown. */
export async function startClients(setups: ClientSetup[], timeoutMs: number, script: URL): Promise<FederatedClient[]> {
  const started = await Promise.allSettled(setups.map((s) => FederatedClient.start(s, timeoutMs, script)));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed === undefined) return started.map((r) => (r as PromiseFulfilledResult<FederatedClient>).value);
  await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
  throw failed.reason;
}
