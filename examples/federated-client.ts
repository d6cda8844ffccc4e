/**
 * A federated client of examples/federated-mnist.ts: the script of one worker thread (started
 * through examples/lib/federated-server.ts), not a program of its own. It loads the fixed MNIST
 * training split, keeps only its own non-IID shard, says how many samples it holds, then answers
 * every 'train' request: load the global weights, train locally with the MNIST loop of
 * examples/cnn-mnist.ts (FedAvg, or FedProx with μ > 0), send the new weights back. Images and
 * labels never leave this thread.
 *
 * An exception here (bad bytes, a failing step) is not caught: the worker dies with it and the
 * server's round fails naming this client.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { io, Tensor } from 'tsgrad';
import { mnistCnn, seededModel, trainClassifier, type Classifier } from './cnn-mnist.js';
import { clientDigits, nonIidShard, type ClientReady, type ClientSetup, type ClientUpdate, type TrainRequest } from './lib/federated-protocol.js';
import { loadMnist, type MnistSplit } from './lib/mnist-data.js';
import { mnistMlp } from './mlp-mnist.js';

const port = parentPort;
if (port === null) throw new Error('federated-client: must run as a worker thread (started by federated-mnist.ts)');
const setup = workerData as ClientSetup;

/** This client's shard of the training split: its two digits' share of the samples. */
function loadShard(): MnistSplit {
  const { train } = loadMnist({ trainSize: setup.trainSize, testSize: 0 });
  const mine = nonIidShard(train.labels.data() as Int32Array, setup.client, setup.clients);
  const index = new Tensor(mine, [mine.length], { dtype: 'int32' });
  return { images: train.images.indexSelect(0, index), labels: train.labels.indexSelect(0, index) };
}

const shard = loadShard();
const samples = shard.labels.shape[0];
const model: Classifier = seededModel(0, setup.model === 'cnn' ? mnistCnn : mnistMlp);

/**
 * FedProx's proximal term μ/2·Σ‖w − w_global‖² over every parameter, with w_global the weights the
 * round started from (constants: the gradient μ(w − w_global) pulls each client back toward them).
 */
function proximalTerm(mu: number): () => Tensor {
  const anchors = model.namedParameters().map(([, p]) => [p, p.detach().clone()] as const);
  return () => anchors.map(([w, anchor]) => w.sub(anchor).pow(2).sum()).reduce((a, b) => a.add(b)).mul(mu / 2);
}

/** One round: the global weights in, the locally trained weights out. */
function trainRound(request: TrainRequest): ClientUpdate {
  model.loadStateDict(io.loadSafetensors(request.weights));
  const { epochs, batchSize, optimizer, lr, mu, seed } = request.training;
  const losses = trainClassifier(
    model,
    shard,
    { epochs, batchSize, optimizer, lr, seed: seed + 1000 * request.round + setup.client },
    mu > 0 ? { regularizer: proximalTerm(mu) } : {},
  );
  const loss = losses.reduce((a, b) => a + b, 0) / losses.length;
  return { kind: 'update', round: request.round, weights: io.saveSafetensors(model.stateDict()), samples, loss };
}

port.on('message', (request: TrainRequest) => {
  if (request.kind !== 'train') throw new Error(`federated-client ${setup.client}: unknown request '${String(request.kind)}'`);
  const update = trainRound(request);
  port.postMessage(update, [update.weights.buffer as ArrayBuffer]);
});
port.postMessage({ kind: 'ready', samples, digits: clientDigits(setup.client) } satisfies ClientReady);
