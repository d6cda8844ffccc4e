/**
 * Comparisons and logical ops: eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalNot. They
 * produce bool tensors and are not differentiable (a step has gradient 0 almost everywhere), so
 * there is no Function: each calls its kernel directly and only reports itself to a running
 * trace. Below, each op's functional form (`gt(a, b)`) and Tensor method (`a.gt(b)`).
 */
import type { Tensor } from '../../tensor/tensor.js';
import { reportUntrackedOp } from '../function.js';
import { installMethods } from '../install-methods.js';
import { binaryForward, toTensor, unaryForward, type Operand } from './util.js';

// ── Functional forms ───────────────────────────────────────────────────────────────────────

function comparison(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr') {
  const name = op[0].toUpperCase() + op.slice(1);
  return (a: Tensor, b: Operand): Tensor => {
    const other = toTensor(b, a);
    const out = binaryForward(op, a, other, 'bool');
    reportUntrackedOp(name, [a, other], out);
    return out;
  };
}
/** a == b elementwise (bool). */
export const eq = comparison('eq');
/** a != b elementwise (bool). */
export const ne = comparison('ne');
/** a < b elementwise (bool). */
export const lt = comparison('lt');
/** a <= b elementwise (bool). */
export const le = comparison('le');
/** a > b elementwise (bool). */
export const gt = comparison('gt');
/** a >= b elementwise (bool). */
export const ge = comparison('ge');
/** a ∧ b elementwise (nonzero is true; bool result). */
export const logicalAnd = comparison('logicalAnd');
/** a ∨ b elementwise (nonzero is true; bool result). */
export const logicalOr = comparison('logicalOr');
/** ¬x elementwise (bool result). */
export function logicalNot(x: Tensor): Tensor {
  const out = unaryForward('logicalNot', x, 'bool');
  reportUntrackedOp('LogicalNot', [x], out);
  return out;
}

// ── Tensor methods ─────────────────────────────────────────────────────────────────────────

declare module '../../tensor/tensor.js' {
  interface Tensor {
    /** x == other elementwise, broadcasting; a bool tensor. `labels.eq(preds)` */
    eq(other: Operand): Tensor;
    /** x != other elementwise, broadcasting; a bool tensor. */
    ne(other: Operand): Tensor;
    /** x < other elementwise, broadcasting; a bool tensor. */
    lt(other: Operand): Tensor;
    /** x <= other elementwise, broadcasting; a bool tensor. */
    le(other: Operand): Tensor;
    /** x > other elementwise, broadcasting; a bool tensor. `x.gt(0)` */
    gt(other: Operand): Tensor;
    /** x >= other elementwise, broadcasting; a bool tensor. */
    ge(other: Operand): Tensor;
    /** ¬x elementwise (nonzero counts as true); a bool tensor. */
    logicalNot(): Tensor;
    /** x ∧ other elementwise (nonzero counts as true), broadcasting; a bool tensor. */
    logicalAnd(other: Operand): Tensor;
    /** x ∨ other elementwise (nonzero counts as true), broadcasting; a bool tensor. */
    logicalOr(other: Operand): Tensor;
  }
}

installMethods({
  eq(other: Operand) { return eq(this, other); },
  ne(other: Operand) { return ne(this, other); },
  lt(other: Operand) { return lt(this, other); },
  le(other: Operand) { return le(this, other); },
  gt(other: Operand) { return gt(this, other); },
  ge(other: Operand) { return ge(this, other); },
  logicalNot() { return logicalNot(this); },
  logicalAnd(other: Operand) { return logicalAnd(this, other); },
  logicalOr(other: Operand) { return logicalOr(this, other); },
});
