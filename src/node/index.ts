/**
 * The Node-only entry `tsgrad/node`: helpers that need the file system, and the multi-threaded
 * CPU backend (worker_threads).
 *
 *   import { useBackend } from 'tsgrad';
 *   import { createThreadedBackend } from 'tsgrad/node';
 *   const threaded = await createThreadedBackend();   // all cores: main thread + workers
 *   useBackend(threaded);                              // large matmul and convolutions now use every core
 *   // … train or run inference …
 *   useBackend('cpu');
 *   await threaded.close();
 *
 * Like the core entry, it installs the Tensor methods: `loadFile` hands out tensors, and an app that
 * imports only this entry gets tensors with `sum`, `matmul`, … too.
 */
import '../autograd/tensor-methods.js';
import { installWasmBackendByDefault } from '../backends/wasm/wasm-backend.js';

// The default chain, as the core entry installs it (for an app that imports only this entry).
installWasmBackendByDefault();

export { saveFile, loadFile, loadFileWithMetadata } from './files.js';
export { createThreadedBackend, type ThreadedBackendOptions, type ThreadedBackend } from './threaded-backend.js';
export { KernelWorkerError, type WorkerFailure } from '../backends/threads/kernel-worker-error.js';
