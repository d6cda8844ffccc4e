/** The page that starts the module worker (browser-worker.ts) and logs what it posts. */
const worker = new Worker('/worker.js', { type: 'module' });
worker.onmessage = (event: MessageEvent<string>) => console.log(event.data);
worker.onerror = (event: ErrorEvent) => console.error(`worker failed: ${event.message}`);
