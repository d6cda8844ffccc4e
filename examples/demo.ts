/**
 * The demo (`npm start`): trains the small CNN of examples/cnn-mnist.ts (its model and its loop)
 * on 8,000 real MNIST digits with a progress bar, prints held-out accuracy after every epoch,
 * saves the weights as mnist-cnn.safetensors, loads them into a freshly built model and checks
 * that it classifies the 2,000 held-out digits exactly as well.
 */
import { loadFile, saveFile } from 'tsgrad/node';
import { cnnMnistConfig, demoCnn, evaluateAccuracy, runMnist } from './cnn-mnist.js';

const WEIGHTS = 'mnist-cnn.safetensors';

const run = runMnist('tsgrad demo: a CNN on MNIST', demoCnn, cnnMnistConfig);

saveFile(WEIGHTS, run.model.stateDict(), { format: 'tsgrad', model: 'mnist-cnn' });
const reloaded = demoCnn();
reloaded.loadStateDict(loadFile(WEIGHTS));
const reloadedAccuracy = evaluateAccuracy(reloaded, run.heldOut);
const same = reloadedAccuracy === run.accuracy;
console.log(`saved ${WEIGHTS}; reloaded into a fresh model: held-out accuracy ${(reloadedAccuracy * 100).toFixed(2)}% (${same ? 'identical' : 'DIFFERENT'})`);
if (!same) process.exitCode = 1;
