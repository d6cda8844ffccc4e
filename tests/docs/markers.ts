/**
 * The marker lines the block runner prints around each block's output. They start with U+241E
 * (SYMBOL FOR RECORD SEPARATOR), which no doc block prints.
 */
const mark = '\u241e doc-block';

/** The line printed before block `index` runs. */
export function blockStart(index: number): string {
  return `${mark} ${index} start`;
}

/** The line printed after block `index` ran, with the error it threw (or null). */
export function blockEnd(index: number, error: string | null): string {
  return `${mark} ${index} end ${JSON.stringify(error)}`;
}

/** What one block printed and threw, as read back from the runner's output. */
export interface BlockOutput {
  stdout: string;
  error: string | null;
}

/**
 * Splits the runner's output into each block's output. A block whose end marker is missing
 * (the process died inside it) gets no entry.
 */
export function splitOutput(stdout: string): Map<number, BlockOutput> {
  const outputs = new Map<number, BlockOutput>();
  const lines = stdout.split('\n');
  let current: { index: number; lines: string[] } | null = null;
  for (const whole of lines) {
    // A block that printed without a final newline leaves the marker after its last text.
    const at = whole.indexOf(`${mark} `);
    if (at > 0) current?.lines.push(whole.slice(0, at));
    const line = at > 0 ? whole.slice(at) : whole;
    if (line.startsWith(`${mark} `)) {
      const [index, kind, ...rest] = line.slice(mark.length + 1).split(' ');
      if (kind === 'start') current = { index: Number(index), lines: [] };
      else if (kind === 'end' && current) {
        const error = JSON.parse(rest.join(' ')) as string | null;
        outputs.set(current.index, { stdout: current.lines.map((l) => `${l}\n`).join(''), error });
        current = null;
      }
    } else if (current) {
      current.lines.push(line);
    }
  }
  return outputs;
}
