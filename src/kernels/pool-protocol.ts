/**
 * The states of a worker's control word (an Int32 in a SharedArrayBuffer), shared by the pool
 * and the worker. Main: IDLE → BUSY (after posting a task); worker: BUSY → DONE or FAILED;
 * main: → IDLE once it has collected the result.
 */
export const IDLE = 0;
export const BUSY = 1;
export const DONE = 2;
export const FAILED = 3;
