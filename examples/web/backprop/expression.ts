/**
 * The backprop page's little language: arithmetic over named scalars, parsed here and evaluated
 * with tsgrad tensors, so the page can draw and step through the graph the expression records.
 *
 *   program    = { name "=" sum ";" } sum          h = tanh(a*b); h*h + c
 *   sum        = product { ("+" | "-") product }
 *   product    = unary { ("*" | "/") unary }
 *   unary      = "-" unary | power
 *   power      = atom [ "^" unary ]                 a^2, a^-1, a^b (right-associative)
 *   atom       = number | name | name "(" sum ")" | "(" sum ")"
 *
 * Names not bound by `=` are the inputs (a, b, c, …): each becomes a float64 scalar that requires
 * grad. Functions: the unary ops of the tensor engine listed in FUNCTIONS. Numbers become
 * constant tensors, which the graph draws grey (they need no gradient).
 */
import { tensor, type Tensor } from 'tsgrad';

/** A parsed expression; `text` is its source, shown as the name of the tensor it computes. */
export type Expr =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'name'; name: string; text: string }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '^'; a: Expr; b: Expr; text: string }
  | { kind: 'neg'; a: Expr; text: string }
  | { kind: 'call'; fn: FunctionName; a: Expr; text: string };

/** `name = value;` bindings, then the result. */
export interface Program {
  bindings: { name: string; value: Expr }[];
  result: Expr;
  /** The inputs: names used but not bound, in order of first use. */
  inputs: string[];
}

/** The unary functions the language knows, each a Tensor method of the same name. */
export const FUNCTIONS = ['tanh', 'exp', 'log', 'relu', 'sigmoid', 'sin', 'cos', 'sqrt'] as const;
/** One of FUNCTIONS. */
export type FunctionName = (typeof FUNCTIONS)[number];

/** A parse error, with the column (1-based) where the parser stopped. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(`${message} (column ${column})`);
    this.name = 'ExpressionError';
  }
}

interface Token {
  kind: 'number' | 'name' | 'symbol' | 'end';
  text: string;
  at: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /[ \t\r]*(?:(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|([A-Za-z_]\w*)|([-+*/^()=;\n]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^[ \t\r]*$/.test(source.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(source);
    if (m === null) {
      const bad = at + (/^[ \t\r]*/.exec(source.slice(at))?.[0].length ?? 0);
      throw new ExpressionError(`unexpected character '${source[bad]}'`, bad + 1);
    }
    const start = pattern.lastIndex - (m[1] ?? m[2] ?? m[3]).length;
    if (m[1] !== undefined) tokens.push({ kind: 'number', text: m[1], at: start });
    else if (m[2] !== undefined) tokens.push({ kind: 'name', text: m[2], at: start });
    else tokens.push({ kind: 'symbol', text: m[3] === '\n' ? ';' : m[3], at: start });
    at = pattern.lastIndex;
  }
  tokens.push({ kind: 'end', text: 'the end', at: source.length });
  return tokens;
}

/** Parses a program (see the grammar above); throws ExpressionError on a mistake. */
export function parseProgram(source: string): Program {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const fail = (message: string, token = peek()): never => {
    throw new ExpressionError(message, token.at + 1);
  };
  const expect = (text: string) => {
    if (peek().text !== text || peek().kind !== 'symbol') fail(`expected '${text}', found '${peek().text}'`);
    next();
  };
  const textFrom = (start: number) => source.slice(start, pos > 0 ? tokens[pos - 1].at + tokens[pos - 1].text.length : start).trim();

  const sum = (): Expr => {
    const start = peek().at;
    let e = product();
    while (peek().kind === 'symbol' && (peek().text === '+' || peek().text === '-')) {
      const op = next().text as '+' | '-';
      e = { kind: 'binary', op, a: e, b: product(), text: '' };
      e.text = textFrom(start);
    }
    return e;
  };
  const product = (): Expr => {
    const start = peek().at;
    let e = unary();
    while (peek().kind === 'symbol' && (peek().text === '*' || peek().text === '/')) {
      const op = next().text as '*' | '/';
      e = { kind: 'binary', op, a: e, b: unary(), text: '' };
      e.text = textFrom(start);
    }
    return e;
  };
  const unary = (): Expr => {
    const start = peek().at;
    if (peek().kind === 'symbol' && peek().text === '-') {
      next();
      const a = unary();
      return { kind: 'neg', a, text: textFrom(start) };
    }
    return power();
  };
  const power = (): Expr => {
    const start = peek().at;
    const base = atom();
    if (peek().kind === 'symbol' && peek().text === '^') {
      next();
      const exponent = unary();
      return { kind: 'binary', op: '^', a: base, b: exponent, text: textFrom(start) };
    }
    return base;
  };
  const atom = (): Expr => {
    const start = peek().at;
    const token = next();
    if (token.kind === 'number') return { kind: 'number', value: Number(token.text), text: token.text };
    if (token.kind === 'name') {
      if (peek().kind === 'symbol' && peek().text === '(') {
        if (!(FUNCTIONS as readonly string[]).includes(token.text)) fail(`unknown function '${token.text}' (known: ${FUNCTIONS.join(', ')})`, token);
        next();
        const a = sum();
        expect(')');
        return { kind: 'call', fn: token.text as FunctionName, a, text: textFrom(start) };
      }
      return { kind: 'name', name: token.text, text: token.text };
    }
    if (token.kind === 'symbol' && token.text === '(') {
      const inner = sum();
      expect(')');
      return inner;
    }
    return fail(token.kind === 'end' ? 'the expression ends too early' : `unexpected '${token.text}'`, token);
  };

  const bindings: { name: string; value: Expr }[] = [];
  const bound = new Set<string>();
  const inputs: string[] = [];
  const noteInputs = (e: Expr) => {
    const stack = [e];
    while (stack.length > 0) {
      const x = stack.pop() as Expr;
      if (x.kind === 'name' && !bound.has(x.name) && !inputs.includes(x.name)) inputs.push(x.name);
      if (x.kind === 'binary') stack.push(x.b, x.a);
      if (x.kind === 'neg' || x.kind === 'call') stack.push(x.a);
    }
  };
  for (;;) {
    while (peek().kind === 'symbol' && peek().text === ';') next();
    const isBinding = peek().kind === 'name' && tokens[pos + 1]?.kind === 'symbol' && tokens[pos + 1].text === '=';
    if (!isBinding) break;
    const name = next().text;
    if ((FUNCTIONS as readonly string[]).includes(name)) fail(`'${name}' is a function; pick another name`, tokens[pos - 1]);
    next();
    const value = sum();
    noteInputs(value);
    bound.add(name);
    bindings.push({ name, value });
    if (peek().kind !== 'end') expect(';');
  }
  if (peek().kind === 'end') fail('the expression is empty: write one after the bindings, e.g. a*b + c');
  const result = sum();
  while (peek().kind === 'symbol' && peek().text === ';') next();
  if (peek().kind !== 'end') fail(`unexpected '${peek().text}' after the expression`);
  noteInputs(result);
  return { bindings, result, inputs };
}

/** What evaluating a program built: its result and the tensors to name in the picture. */
export interface Evaluated {
  /** The result: the root of the graph. */
  root: Tensor;
  /** Each input's leaf tensor (float64 scalar, requires grad). */
  inputs: Map<string, Tensor>;
  /** Names for the picture (as `viz` takes them): the inputs, the bindings, and each operation's source text. */
  names: [string, Tensor][];
}

/** A number or a tensor, while evaluating: numbers stay numbers until they meet a tensor. */
type Operand = number | Tensor;

/** Evaluates `program` with the inputs' values (a missing value throws). */
export function evaluate(program: Program, values: Readonly<Record<string, number>>): Evaluated {
  const inputs = new Map<string, Tensor>();
  for (const name of program.inputs) {
    const v = values[name];
    if (v === undefined || !Number.isFinite(v)) throw new Error(`no value for the input '${name}'`);
    inputs.set(name, tensor(v, { dtype: 'float64', requiresGrad: true }));
  }
  const names = new Map<Tensor, string>();
  for (const [name, t] of inputs) names.set(t, name);
  const scope = new Map<string, Operand>(inputs);
  const asTensor = (x: Operand) => (typeof x === 'number' ? tensor(x, { dtype: 'float64' }) : x);
  const label = (x: Operand, text: string): Operand => {
    if (typeof x !== 'number' && !names.has(x)) names.set(x, text.length > 28 ? `${text.slice(0, 27)}…` : text);
    return x;
  };
  const run = (e: Expr): Operand => {
    switch (e.kind) {
      case 'number':
        return e.value;
      case 'name': {
        const v = scope.get(e.name);
        if (v === undefined) throw new Error(`'${e.name}' is used before it is bound`);
        return v;
      }
      case 'neg': {
        const a = run(e.a);
        return label(typeof a === 'number' ? -a : a.neg(), e.text);
      }
      case 'call': {
        const a = run(e.a);
        return label(asTensor(a)[e.fn](), e.text);
      }
      case 'binary': {
        const a = run(e.a);
        const b = run(e.b);
        if (typeof a === 'number' && typeof b === 'number') return constantFold(e.op, a, b);
        const x = asTensor(a);
        const out = e.op === '+' ? x.add(b) : e.op === '-' ? x.sub(b) : e.op === '*' ? x.mul(b) : e.op === '/' ? x.div(b) : x.pow(b);
        return label(out, e.text);
      }
    }
  };
  for (const { name, value } of program.bindings) {
    const v = run(value);
    // A binding names the tensor it computes (an alias of an input keeps the input's name).
    if (typeof v !== 'number' && v.gradFn !== null) names.set(v, name);
    scope.set(name, v);
  }
  const root = run(program.result);
  if (typeof root === 'number') throw new Error('the expression has no inputs: use names such as a, b, c');
  return { root, inputs, names: [...names].map(([t, name]): [string, Tensor] => [name, t]) };
}

function constantFold(op: '+' | '-' | '*' | '/' | '^', a: number, b: number): number {
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  if (op === '*') return a * b;
  if (op === '/') return a / b;
  return a ** b;
}
