/**
 * What the federated server (examples/lib/federated-server.ts) and a client worker
 * (examples/federated-client.ts) say to each other, and which digits each client holds.
 * Only weights cross the thread boundary, as safetensors bytes; a client's images and labels are
 * loaded and kept inside its worker.
 */

/** The two MNIST models: the CNN of examples/cnn-mnist.ts, the MLP of examples/mlp-mnist.ts. */
export type FederatedModelName = 'mlp' | 'cnn';

/** Given to a client worker when it starts (`workerData`). */
export interface ClientSetup {
  /** This client's index, 0 … clients − 1. */
  client: number;
  /** How many clients share the training split. */
  clients: number;
  /** Use only the first samples of the fixed training split (quick runs; default all 8,000). */
  trainSize?: number;
  model: FederatedModelName;
}

/** How a client trains in one round (the same for every client). */
export interface LocalTraining {
  /** Passes over the client's own shard per round. */
  epochs: number;
  batchSize: number;
  /** The local update rule (the MNIST loop of examples/cnn-mnist.ts), with a fresh optimizer every round. */
  optimizer: 'sgd' | 'adam-one-cycle';
  /** SGD's learning rate, or the peak of Adam's one-cycle schedule. */
  lr: number;
  /** FedProx's μ: μ/2·‖w − w_global‖² is added to every batch's loss (0: plain FedAvg). */
  mu: number;
  /** Seeds the local shuffling (the client and the round are added to it). */
  seed: number;
}

/** Server → client: the global weights of `round`, to train on locally. */
export interface TrainRequest {
  kind: 'train';
  round: number;
  weights: Uint8Array;
  training: LocalTraining;
}

/** Client → server, once after it started: its shard's size (the weight of its updates). */
export interface ClientReady {
  kind: 'ready';
  samples: number;
  digits: number[];
}

/** Client → server: the locally trained weights of `round`. */
export interface ClientUpdate {
  kind: 'update';
  round: number;
  weights: Uint8Array;
  samples: number;
  /** Mean training loss over the round's local batches (proximal term included). */
  loss: number;
}

/** Any message a client sends. */
export type ClientMessage = ClientReady | ClientUpdate;

/**
 * The digits a client holds: `client` mod 10 and the next one (so 10 clients hold 0–1, 1–2, …,
 * 9–0, and every digit is split between two clients). Pathologically non-IID: a client sees two
 * classes of ten.
 */
export function clientDigits(client: number): number[] {
  return [client % 10, (client + 1) % 10];
}

/**
 * Indices into `labels` of the samples `client` holds. Each digit's samples are dealt in turn to
 * the clients holding that digit, so shards are disjoint and together cover every sample of a
 * digit some client holds.
 */
export function nonIidShard(labels: Int32Array, client: number, clients: number): Int32Array {
  if (!Number.isInteger(clients) || clients < 1 || !Number.isInteger(client) || client < 0 || client >= clients) {
    throw new RangeError(`nonIidShard: client ${client} of ${clients} clients is out of range`);
  }
  const holders: number[][] = Array.from({ length: 10 }, () => []);
  for (let c = 0; c < clients; c++) for (const d of clientDigits(c)) holders[d].push(c);
  const seen = new Array<number>(10).fill(0);
  const mine: number[] = [];
  labels.forEach((digit, i) => {
    const owners = holders[digit];
    if (owners.length > 0 && owners[seen[digit]++ % owners.length] === client) mine.push(i);
  });
  return Int32Array.from(mine);
}
