/**
 * The op table on the CPU backend, and the check that keeps the table complete: every export of
 * src/index.ts is either an op with a table entry or listed in NON_OP_EXPORTS.
 */
import { describe, expect, it } from 'vitest';
import * as tsgrad from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { runOpTable } from './op-runner.js';
import { NON_OP_EXPORTS, opTable } from './op-table.js';

describe('op table coverage', () => {
  const names = new Set(opTable.map((e) => e.name));

  it('has an entry for every exported op', () => {
    const missing = Object.keys(tsgrad).filter((k) => !names.has(k) && !NON_OP_EXPORTS.includes(k));
    expect(missing, 'exports with no op-table entry (add one in tests/autograd/table/, or list a non-op in NON_OP_EXPORTS)').toEqual([]);
  });

  it('names only real exports or Tensor methods, each once', () => {
    const exported = new Set(Object.keys(tsgrad));
    const unknown = [...names].filter((n) => !exported.has(n) && !(n in Tensor.prototype));
    expect(unknown).toEqual([]);
    expect(opTable.length).toBe(names.size);
  });

  it('lists as non-ops only names that are not table entries', () => {
    expect(NON_OP_EXPORTS.filter((n) => names.has(n))).toEqual([]);
  });
});

runOpTable({ backend: 'cpu' });
