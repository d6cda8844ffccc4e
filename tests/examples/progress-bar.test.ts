/**
 * The progress bar of the MNIST examples: the line it draws, in-place redraws on a terminal,
 * one line per epoch anywhere else.
 */
import { describe, expect, it } from 'vitest';
import { ProgressBar, formatDuration, progressLine, type ProgressStream } from '../../examples/lib/progress-bar.js';

function recorder(isTTY: boolean): ProgressStream & { text: string } {
  const s = { text: '', isTTY, columns: 120, write(t: string) { s.text += t; return true; } };
  return s;
}

describe('progressLine', () => {
  it('shows epoch, bar, batch, loss, samples/s and the time left in the epoch', () => {
    const line = progressLine(2, 4, 100, { batch: 25, loss: 0.123456, samples: 1600 }, 2, 8);
    expect(line).toBe('epoch 2/4 [██······]  25/100 loss 0.1235 800 samples/s ETA 0:06');
  });

  it('formats durations as m:ss', () => {
    expect([formatDuration(0), formatDuration(59.6), formatDuration(61), formatDuration(754)]).toEqual(['0:00', '1:00', '1:01', '12:34']);
  });
});

describe('ProgressBar', () => {
  it('redraws in place on a terminal and clears its line at the end of the epoch', () => {
    const tty = recorder(true);
    const bar = new ProgressBar(3, tty);
    bar.startEpoch(1, 2);
    bar.update({ batch: 1, loss: 0.5, samples: 10 });
    bar.update({ batch: 2, loss: 0.4, samples: 20 });
    bar.endEpoch();
    expect(tty.text.startsWith('\repoch 1/3 [')).toBe(true);
    expect(tty.text).toContain(' 2/2 loss 0.4000 ');
    expect(tty.text.endsWith('\r\x1b[K')).toBe(true);
    expect(tty.text).not.toContain('\n');
  });

  it('prints one plain line per epoch when not on a terminal', () => {
    const log = recorder(false);
    const bar = new ProgressBar(2, log);
    for (const epoch of [1, 2]) {
      bar.startEpoch(epoch, 3);
      for (let b = 1; b <= 3; b++) bar.update({ batch: b, loss: 1 / b, samples: 8 * b });
      bar.endEpoch();
    }
    const lines = log.text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^epoch 1\/2 \[█+\] 3\/3 loss 0\.3333 \d+ samples\/s ETA 0:00$/);
    expect(lines[1]).toMatch(/^epoch 2\/2 /);
    expect(log.text).not.toContain('\r');
  });
});
