/**
 * A training progress bar on stderr: epoch, batch, running loss, samples per second and the time
 * left in the epoch. On a terminal it redraws one line in place (carriage return, at most ten
 * times a second); anywhere else (a pipe, a log file, CI) it prints one line per epoch instead, so
 * logs stay readable.
 */

/** Where the bar writes: process.stderr, or any stream with `write` (and `isTTY` on a terminal). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What the bar shows after a batch. */
export interface ProgressUpdate {
  /** Batches done in this epoch (1-based count). */
  batch: number;
  /** Running (e.g. exponential moving) average of the loss. */
  loss: number;
  /** Samples done in this epoch. */
  samples: number;
}

/** Seconds as m:ss. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One progress line: `epoch 2/4 [█████·····] 63/125 loss 0.1234 812 samples/s ETA 0:07`. */
export function progressLine(epoch: number, epochs: number, batches: number, u: ProgressUpdate, elapsedSeconds: number, barWidth = 24): string {
  const done = Math.min(barWidth, Math.round((u.batch / batches) * barWidth));
  const bar = '█'.repeat(done) + '·'.repeat(barWidth - done);
  const rate = elapsedSeconds > 0 ? u.samples / elapsedSeconds : 0;
  const eta = u.batch > 0 ? (elapsedSeconds / u.batch) * (batches - u.batch) : 0;
  const width = String(batches).length;
  return `epoch ${epoch}/${epochs} [${bar}] ${String(u.batch).padStart(width)}/${batches} loss ${u.loss.toFixed(4)} ${rate.toFixed(0)} samples/s ETA ${formatDuration(eta)}`;
}

/** Draws the progress of one epoch at a time. */
export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly epochs: number;
  private epoch = 0;
  private batches = 0;
  private started = 0;
  private lastDraw = 0;
  private last: ProgressUpdate = { batch: 0, loss: 0, samples: 0 };

  constructor(epochs: number, stream: ProgressStream = process.stderr) {
    this.epochs = epochs;
    this.stream = stream;
  }

  /** Starts epoch `epoch` (1-based) of `batches` batches. */
  startEpoch(epoch: number, batches: number): void {
    this.epoch = epoch;
    this.batches = batches;
    this.started = performance.now();
    this.lastDraw = 0;
    this.last = { batch: 0, loss: 0, samples: 0 };
  }

  /** Records a finished batch; on a terminal, redraws the line (throttled). */
  update(u: ProgressUpdate): void {
    this.last = u;
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && u.batch < this.batches) return;
    this.lastDraw = now;
    this.stream.write(`\r${this.line()}\x1b[K`);
  }

  /** Ends the epoch: on a terminal, clears the bar's line; elsewhere, prints the epoch's last state. */
  endEpoch(): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
    else this.stream.write(`${this.line()}\n`);
  }

  private line(): string {
    const elapsed = (performance.now() - this.started) / 1000;
    const columns = this.stream.columns ?? 100;
    const barWidth = Math.max(5, Math.min(24, columns - 75));
    return progressLine(this.epoch, this.epochs, this.batches, this.last, elapsed, barWidth);
  }
}
