/**
 * What a kernel pool and its workers share for each worker: a small SharedArrayBuffer holding
 * the worker's state word and a note (an error message) the worker can leave for the pool.
 * Messages cannot carry the note: the pool's thread is blocked (Node) or spinning (browsers)
 * while it waits, so it never returns to its event loop to receive one.
 *
 * State word transitions. Pool: IDLE → BUSY (with the task handed over); worker: BUSY → DONE,
 * or FAILED (note: the error); pool: DONE/FAILED → IDLE once it has read the outcome. A Node
 * worker whose thread exits on its own (process.exit, an uncaught error) stores DIED (note: the
 * exit code) from its exit handler; a terminated thread runs no code, and the pool sees that
 * differently (see worker-pool.ts).
 */
export const IDLE = 0;
export const BUSY = 1;
export const DONE = 2;
export const FAILED = 3;
export const DIED = 4;

/** Longest note kept, in UTF-16 code units; longer ones are cut. */
const NOTE_UNITS = 1000;
/** Int32 slots before the note: the state word and the note's length. */
const HEADER_BYTES = 8;

/** A fresh control block: state IDLE, empty note. */
export function createControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(HEADER_BYTES + 2 * NOTE_UNITS));
}

/** Leaves `text` in the control block (call before storing the state that says to read it). */
export function writeNote(control: Int32Array, text: string): void {
  const units = new Uint16Array(control.buffer, HEADER_BYTES, NOTE_UNITS);
  const length = Math.min(text.length, NOTE_UNITS);
  for (let i = 0; i < length; i++) units[i] = text.charCodeAt(i);
  Atomics.store(control, 1, length);
}

/** The note last written into the control block. */
export function readNote(control: Int32Array): string {
  const units = new Uint16Array(control.buffer, HEADER_BYTES, Atomics.load(control, 1));
  let text = '';
  for (const unit of units) text += String.fromCharCode(unit);
  return text;
}

/** An error as one line for a note: its name and message. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
