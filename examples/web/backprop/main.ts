/**
 * The backprop page (`npm run web`, then /backprop/): an expression (expression.ts) or the tiny
 * MLP (mlp.ts) is run forward with tsgrad, its graph drawn with `viz.graphToSvg`, and
 * `backwardSteps` taken one step per click (session.ts). Each picture node is a `<g>` whose last
 * text line is its gradient; the page rewrites that line and sets classes for the step's node,
 * the nodes that received a gradient, and those that accumulated one onto an earlier share.
 *
 * What tests read: `document.body.dataset.state` (`ready`, `forward`, `stepping`, `done`,
 * `error`); each node `<g>` carries `data-name` (its name, e.g. `a`) and, once it has one,
 * `data-grad` (its gradient so far, as a JSON array of numbers).
 */
import type { Tensor } from 'tsgrad';
import { formatNumbers, BackpropSession, type NodeChange, type StepView } from './session.js';
import { evaluate, parseProgram, type Program } from './expression.js';
import { tinyMlp } from './mlp.js';

const element = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html has no #${id}`);
  return found as T;
};
const preset = element<HTMLSelectElement>('preset');
const expression = element<HTMLInputElement>('expression');
const inputsBox = element('inputs');
const forwardButton = element<HTMLButtonElement>('forward');
const stepButton = element<HTMLButtonElement>('step');
const playButton = element<HTMLButtonElement>('play');
const resetButton = element<HTMLButtonElement>('reset');
const status = element('status');
const graphBox = element('graph');
const log = element<HTMLOListElement>('log');

/** Input values the page starts with (a·b + c with a = 2, b = −3, c = 10, as in micrograd's first example). */
const DEFAULTS: Record<string, number> = { a: 2, b: -3, c: 10 };
const PLAY_MS = 700;
const MLP = 'mlp';

let session: BackpropSession | null = null;
let player: ReturnType<typeof setInterval> | null = null;

function setState(state: 'ready' | 'forward' | 'stepping' | 'done' | 'error', message: string): void {
  document.body.dataset.state = state;
  status.textContent = message;
  status.classList.toggle('error', state === 'error');
  stepButton.disabled = playButton.disabled = !(state === 'forward' || state === 'stepping');
  resetButton.disabled = session === null;
  if (state !== 'stepping') stopPlaying();
}

/** The program in the box, or null (with the error shown) when it does not parse. */
function currentProgram(): Program | null {
  try {
    return parseProgram(expression.value);
  } catch (e) {
    setState('error', e instanceof Error ? e.message : String(e));
    return null;
  }
}

/** One number field per input of the expression, keeping the values already typed. */
function showInputFields(): void {
  const isMlp = preset.value === MLP && expression.disabled;
  const program = isMlp ? null : currentProgram();
  const typed = new Map([...inputsBox.querySelectorAll('input')].map((i) => [i.dataset.input ?? '', i.value]));
  inputsBox.replaceChildren(
    ...(program?.inputs ?? []).map((name) => {
      const label = document.createElement('label');
      const field = document.createElement('input');
      field.type = 'number';
      field.step = 'any';
      field.id = `input-${name}`;
      field.dataset.input = name;
      field.value = typed.get(name) ?? String(DEFAULTS[name] ?? 0.5);
      label.append(`${name} = `, field);
      return label;
    }),
  );
}

function inputValues(): Record<string, number> {
  const values: Record<string, number> = {};
  for (const field of inputsBox.querySelectorAll('input')) values[field.dataset.input ?? ''] = Number(field.value);
  return values;
}

/** The `<g>` of node `id` in the picture. */
function nodeGroup(id: string): SVGGElement | null {
  return graphBox.querySelector<SVGGElement>(`g#${CSS.escape(id)}`);
}

/** Rewrites a node's gradient line, widening its box if the text grew. */
function showGradient(id: string, values: readonly number[], note = ''): void {
  const g = nodeGroup(id);
  const t = session?.tensorOf(id);
  if (g === null || t === undefined) return;
  const texts = g.querySelectorAll('text');
  const line = texts[texts.length - 1];
  line.textContent = `grad ${formatNumbers(values, t.shape)}${note}`;
  g.dataset.grad = JSON.stringify(values);
  const rect = g.querySelector('rect');
  const svg = graphBox.querySelector('svg');
  if (rect !== null && svg !== null) {
    const needed = line.getComputedTextLength() + 16;
    if (needed > Number(rect.getAttribute('width'))) rect.setAttribute('width', String(needed));
    // A box that grew past the picture's right edge widens the picture.
    const right = Number(rect.getAttribute('x')) + Number(rect.getAttribute('width')) + 8;
    if (right > Number(svg.getAttribute('width'))) {
      svg.setAttribute('width', String(right));
      svg.setAttribute('viewBox', `0 0 ${right} ${svg.getAttribute('height') ?? 0}`);
      svg.querySelector(':scope > rect')?.setAttribute('width', String(right));
    }
  }
}

/** Runs the forward pass (expression or MLP) and draws the graph before backward. */
function forward(): void {
  stopPlaying();
  log.replaceChildren();
  let built: { root: Tensor; names: [string, Tensor][] };
  try {
    if (preset.value === MLP && expression.disabled) {
      built = tinyMlp();
    } else {
      const program = currentProgram();
      if (program === null) return;
      built = evaluate(program, inputValues());
      if (!built.root.requiresGrad) throw new Error('the result does not depend on any input');
    }
    if (built.root.size !== 1) throw new Error(`the result has shape [${built.root.shape.join(', ')}]; backward starts from a single number`);
    session = new BackpropSession(built.root, built.names);
  } catch (e) {
    session = null;
    graphBox.replaceChildren();
    setState('error', e instanceof Error ? e.message : String(e));
    return;
  }
  graphBox.innerHTML = session.svg;
  const edgesInto = new Map<string, number>();
  for (const edge of session.graph.edges) if (session.tensorOf(edge.from) !== undefined) edgesInto.set(edge.from, (edgesInto.get(edge.from) ?? 0) + 1);
  for (const node of session.graph.nodes) {
    const g = nodeGroup(node.id);
    if (g === null) continue;
    g.dataset.name = node.name ?? '';
    g.classList.toggle('shared', (edgesInto.get(node.id) ?? 0) > 1);
    // Every tensor that will take a gradient shows `grad —` until one reaches it (the picture
    // shows `.grad`, which only leaves keep).
    const texts = g.querySelectorAll('text');
    if (session.tensorOf(node.id) !== undefined) texts[texts.length - 1].textContent = 'grad —';
  }
  const value = formatNumbers(Array.from(built.root.toTypedArray() as ArrayLike<number>));
  setState('forward', `forward done: the result is ${value}; press Step (or Play) to run backward`);
}

/** A node's name (`a`, `a*b`, `0.weight`), or its op for an unnamed one. */
function label(id: string): string {
  const node = session?.graph.nodes.find((n) => n.id === id);
  return node?.name ?? node?.op ?? id;
}

/** `a*b`'s op with its name: `MulBackward (a*b)`, or the op alone when it has no name. */
function opLabel(id: string, op: string): string {
  const name = session?.graph.nodes.find((n) => n.id === id)?.name;
  return name ? `${op} (${name})` : op;
}

function describeChange(c: NodeChange): string {
  const t = session?.tensorOf(c.id);
  const shape = t?.shape ?? [];
  const sent = formatNumbers(c.sent, shape);
  const earlier = c.total.map((v, i) => v - c.sent[i]);
  const sum = c.accumulated ? `${formatNumbers(earlier, shape)} + ${sent} = ${formatNumbers(c.total, shape)} (accumulated)` : sent;
  const wait = c.pending > 0 ? `, waits for ${c.pending} more` : '';
  return `${label(c.id)} ← ${sum}${wait}`;
}

function showStep(s: StepView): void {
  for (const g of graphBox.querySelectorAll('g')) g.classList.remove('current', 'received', 'accumulated');
  const here = nodeGroup(s.id);
  here?.classList.add('current', 'complete');
  showGradient(s.id, s.grad);
  for (const c of s.changes) {
    showGradient(c.id, c.total, c.pending > 0 ? ` (${c.pending} more to come)` : '');
    nodeGroup(c.id)?.classList.add(c.accumulated ? 'accumulated' : 'received');
  }
  const item = document.createElement('li');
  const shape = session?.tensorOf(s.id)?.shape ?? [];
  item.textContent =
    s.op === null
      ? `${label(s.id)} is a leaf: its gradient ${formatNumbers(s.grad, shape)} is complete and stored in .grad.`
      : `${opLabel(s.id, s.op)}: its gradient ${formatNumbers(s.grad, shape)} is complete; ` +
        (s.changes.length > 0 ? `it sends ${s.changes.map(describeChange).join('; ')}.` : 'no input takes a gradient.');
  log.append(item);
  item.scrollIntoView({ block: 'nearest' });
}

function step(): void {
  if (session === null) return;
  let s: StepView | null;
  try {
    s = session.step();
  } catch (e) {
    setState('error', e instanceof Error ? e.message : String(e));
    return;
  }
  if (s === null) {
    setState('done', 'backward done: every input has its gradient (.grad)');
    return;
  }
  showStep(s);
  setState('stepping', `step ${s.index + 1}: ${s.op ?? `leaf ${label(s.id)}`}`);
  // The step after the last one only ends the walk: say so at once.
  if (session.done) setState('done', 'backward done: every input has its gradient (.grad)');
}

function stopPlaying(): void {
  if (player !== null) clearInterval(player);
  player = null;
  playButton.textContent = 'Play';
}

preset.addEventListener('change', () => {
  const isMlp = preset.value === MLP;
  expression.disabled = isMlp;
  if (!isMlp) expression.value = preset.value;
  showInputFields();
  forward();
});
expression.addEventListener('input', () => {
  showInputFields();
  if (document.body.dataset.state === 'error' && currentProgram() !== null) setState('ready', 'press Forward');
});
expression.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') forward();
});
forwardButton.addEventListener('click', forward);
stepButton.addEventListener('click', step);
resetButton.addEventListener('click', forward);
playButton.addEventListener('click', () => {
  if (player !== null) {
    stopPlaying();
    return;
  }
  playButton.textContent = 'Pause';
  step();
  player = setInterval(() => {
    if (document.body.dataset.state === 'done' || document.body.dataset.state === 'error') stopPlaying();
    else step();
  }, PLAY_MS);
});

showInputFields();
setState('ready', 'press Forward');
