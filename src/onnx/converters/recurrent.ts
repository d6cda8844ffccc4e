/**
 * Recurrent layers, unrolled over the (fixed) sequence length into plain ops. tsgrad's sequence
 * ops take the input projection already computed (x·W_ihᵀ + b for every step, ops the trace
 * records before them) and run the recurrence; unrolled, each step t (in the order the
 * direction runs) is, with a_t = xp_t + h·W_hhᵀ split into gate blocks as PyTorch orders them:
 *   LSTM (i, f, g, o):  c = σ(f)·c + σ(i)·tanh(g),  h = σ(o)·tanh(c)      → y [L, 2, N, H] (h, c)
 *   with projSize:      h = (σ(o)·tanh(c))·W_hrᵀ                        → y [L, N, P + H] (h, c)
 *   GRU (r, z, n):      r = σ(x_r + g_r), z = σ(x_z + g_z), n = tanh(x_n + r·g_n),
 *                       h = n + z·(h − n), with g = h·W_hhᵀ + b_hh       → y [L, N, H]
 *   RNN:                h = tanh or relu(a_t)                             → y [L, N, H]
 * Unrolling keeps the exact outputs tsgrad's ops return (every step's c as well as h), which
 * ONNX's fused LSTM does not give.
 */
import { OnnxExportError } from '../errors.js';
import type { OnnxGraphBuilder } from '../graph-builder.js';
import type { Converter, ConvertContext } from './context.js';

/** Steps in the order the direction runs. */
function steps(length: number, reverse: boolean): number[] {
  return Array.from({ length }, (_, s) => (reverse ? length - 1 - s : s));
}

/** Columns [from, from + size) of a [N, k·H] block. */
function block(g: OnnxGraphBuilder, x: string, from: number, size: number): string {
  return g.node('Slice', [x, g.int64s([from]), g.int64s([from + size]), g.int64s([1])]);
}

/** xp[t]: [N, G] out of [L, N, G]. */
function stepOf(g: OnnxGraphBuilder, xp: string, t: number): string {
  return squeezeFirst(g, g.node('Gather', [xp, g.int64s([t])], { axis: { int: 0 } }));
}

function squeezeFirst(g: OnnxGraphBuilder, x: string): string {
  return g.node('Squeeze', [x, g.int64s([0])]);
}

function unsqueezeFirst(g: OnnxGraphBuilder, x: string): string {
  return g.node('Unsqueeze', [x, g.int64s([0])]);
}

/** The sequence length, which the unrolled graph fixes. */
function sequenceLength(c: ConvertContext): number {
  const length = c.tensor(0).shape[0];
  if (c.otherTensor(0).shape[0] !== length) throw new OnnxExportError(`exportOnnx: ${c.opName}: the sequence length changes with a dynamic axis; recurrent layers are exported unrolled over a fixed length`);
  return length;
}

/** One LSTM step: the gates of a = xp_t + h·W_hhᵀ update the cell; returns m = σ(o)·tanh(c) and c. */
function lstmStep(g: OnnxGraphBuilder, a: string, cell: string, hidden: number): { m: string; cell: string } {
  const gate = (k: number) => block(g, a, k * hidden, hidden);
  const i = g.node('Sigmoid', [gate(0)]);
  const f = g.node('Sigmoid', [gate(1)]);
  const candidate = g.node('Tanh', [gate(2)]);
  const o = g.node('Sigmoid', [gate(3)]);
  const next = g.node('Add', [g.node('Mul', [f, cell]), g.node('Mul', [i, candidate])]);
  return { m: g.node('Mul', [o, g.node('Tanh', [next])]), cell: next };
}

function lstm(c: ConvertContext): string {
  const g = c.graph;
  const length = sequenceLength(c);
  const hidden = c.tensor(1).shape[1];
  const xp = c.input(0);
  const whhT = g.node('Transpose', [c.input(1)], { perm: { ints: [1, 0] } });
  let h = c.input(2);
  let cell = c.input(3);
  const byStep = new Array<string>(length);
  for (const t of steps(length, c.arg<boolean>(4))) {
    const a = g.node('Add', [stepOf(g, xp, t), g.node('MatMul', [h, whhT])]);
    ({ m: h, cell } = lstmStep(g, a, cell, hidden));
    byStep[t] = unsqueezeFirst(g, g.node('Concat', [unsqueezeFirst(g, h), unsqueezeFirst(g, cell)], { axis: { int: 0 } }));
  }
  return g.node('Concat', byStep, { axis: { int: 0 } });
}

/** LSTM with a projection (projSize P): h = m·W_hrᵀ; y [L, N, P + H] holds h then c per step. */
function lstmProjected(c: ConvertContext): string {
  const g = c.graph;
  const length = sequenceLength(c);
  const hidden = c.tensor(2).shape[1];
  const xp = c.input(0);
  const whhT = g.node('Transpose', [c.input(1)], { perm: { ints: [1, 0] } });
  const whrT = g.node('Transpose', [c.input(2)], { perm: { ints: [1, 0] } });
  let h = c.input(3);
  let cell = c.input(4);
  const byStep = new Array<string>(length);
  for (const t of steps(length, c.arg<boolean>(5))) {
    const a = g.node('Add', [stepOf(g, xp, t), g.node('MatMul', [h, whhT])]);
    const step = lstmStep(g, a, cell, hidden);
    cell = step.cell;
    h = g.node('MatMul', [step.m, whrT]);
    byStep[t] = unsqueezeFirst(g, g.node('Concat', [h, cell], { axis: { int: 1 } }));
  }
  return g.node('Concat', byStep, { axis: { int: 0 } });
}

function gru(c: ConvertContext): string {
  const g = c.graph;
  const length = sequenceLength(c);
  const hidden = c.tensor(1).shape[1];
  const xp = c.input(0);
  const whhT = g.node('Transpose', [c.input(1)], { perm: { ints: [1, 0] } });
  let h = c.input(3);
  const byStep = new Array<string>(length);
  for (const t of steps(length, c.arg<boolean>(4))) {
    const x = stepOf(g, xp, t);
    const gh = g.node('Add', [g.node('MatMul', [h, whhT]), c.input(2)]);
    const r = g.node('Sigmoid', [g.node('Add', [block(g, x, 0, hidden), block(g, gh, 0, hidden)])]);
    const z = g.node('Sigmoid', [g.node('Add', [block(g, x, hidden, hidden), block(g, gh, hidden, hidden)])]);
    const n = g.node('Tanh', [g.node('Add', [block(g, x, 2 * hidden, hidden), g.node('Mul', [r, block(g, gh, 2 * hidden, hidden)])])]);
    h = g.node('Add', [n, g.node('Mul', [z, g.node('Sub', [h, n])])]);
    byStep[t] = unsqueezeFirst(g, h);
  }
  return g.node('Concat', byStep, { axis: { int: 0 } });
}

function rnn(c: ConvertContext): string {
  const g = c.graph;
  const length = sequenceLength(c);
  const activation = c.arg<string>(3) === 'relu' ? 'Relu' : 'Tanh';
  const xp = c.input(0);
  const whhT = g.node('Transpose', [c.input(1)], { perm: { ints: [1, 0] } });
  let h = c.input(2);
  const byStep = new Array<string>(length);
  for (const t of steps(length, c.arg<boolean>(4))) {
    h = g.node(activation, [g.node('Add', [stepOf(g, xp, t), g.node('MatMul', [h, whhT])])]);
    byStep[t] = unsqueezeFirst(g, h);
  }
  return g.node('Concat', byStep, { axis: { int: 0 } });
}

/** The recurrent converters, by op class name. */
export const recurrentConverters: Readonly<Record<string, Converter>> = {
  LSTMSequence: lstm,
  LSTMProjectedSequence: lstmProjected,
  GRUSequence: gru,
  RNNSequence: rnn,
};
