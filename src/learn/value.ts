/**
 * Value: reverse-mode autodiff on single numbers, for the first hour of learning backprop.
 *
 * Each Value remembers the Values it was computed from and a `backwardStep` that, given this
 * Value's gradient ∂L/∂out, adds each input's share by the chain rule:
 *   ∂L/∂input += ∂L/∂out · ∂out/∂input.
 * `backward()` orders the graph so every Value comes after everything computed from it
 * (a reverse topological order), sets ∂L/∂L = 1, and runs the steps in that order. The op names
 * are the tensor engine's (`add`, `mul`, `tanh`, …), and `Tensor.backward()` does the same walk
 * over whole arrays (src/autograd/engine.ts).
 */

/** A number, or a Value: every op takes either. */
export type ValueLike = Value | number;

/** A scalar that records how it was computed, so that `backward()` can find every gradient. */
export class Value {
  /** The number. */
  data: number;
  /** ∂L/∂this, filled in by `backward()` on a later result L (0 until then). */
  grad = 0;
  /** The Values this one was computed from. */
  readonly inputs: readonly Value[];
  /** The op that made it (`''` for an input), for printing graphs. */
  readonly op: string;
  /** Adds this Value's gradient, times the local derivatives, into its inputs' gradients. */
  private readonly backwardStep: () => void;

  /** A leaf Value (no inputs). `new Value(2)` */
  constructor(data: number, inputs: readonly Value[] = [], op = '', backwardStep: () => void = () => {}) {
    this.data = data;
    this.inputs = inputs;
    this.op = op;
    this.backwardStep = backwardStep;
  }

  /** this + other. ∂/∂this = 1, ∂/∂other = 1. */
  add(other: ValueLike): Value {
    const o = asValue(other);
    const out: Value = new Value(this.data + o.data, [this, o], 'add', () => {
      this.grad += out.grad;
      o.grad += out.grad;
    });
    return out;
  }

  // guide:value-mul
  /** this · other. ∂/∂this = other, ∂/∂other = this. */
  mul(other: ValueLike): Value {
    const o = asValue(other);
    const out: Value = new Value(this.data * o.data, [this, o], 'mul', () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    });
    return out;
  }
  // guide:end

  /** thisᵏ for a constant k. ∂/∂this = k · thisᵏ⁻¹. */
  pow(k: number): Value {
    const out: Value = new Value(this.data ** k, [this], 'pow', () => {
      this.grad += k * this.data ** (k - 1) * out.grad;
    });
    return out;
  }

  /** eˣ. ∂/∂x = eˣ, the output itself. */
  exp(): Value {
    const out: Value = new Value(Math.exp(this.data), [this], 'exp', () => {
      this.grad += out.data * out.grad;
    });
    return out;
  }

  /** ln x. ∂/∂x = 1/x. */
  log(): Value {
    const out: Value = new Value(Math.log(this.data), [this], 'log', () => {
      this.grad += out.grad / this.data;
    });
    return out;
  }

  /** tanh x. ∂/∂x = 1 − tanh² x. */
  tanh(): Value {
    const out: Value = new Value(Math.tanh(this.data), [this], 'tanh', () => {
      this.grad += (1 - out.data ** 2) * out.grad;
    });
    return out;
  }

  /** max(x, 0). ∂/∂x = 1 where x > 0, else 0. */
  relu(): Value {
    const out: Value = new Value(Math.max(this.data, 0), [this], 'relu', () => {
      this.grad += (this.data > 0 ? 1 : 0) * out.grad;
    });
    return out;
  }

  /** σ(x) = 1 / (1 + e⁻ˣ). ∂/∂x = σ(x)(1 − σ(x)). */
  sigmoid(): Value {
    const s = this.data >= 0 ? 1 / (1 + Math.exp(-this.data)) : Math.exp(this.data) / (1 + Math.exp(this.data));
    const out: Value = new Value(s, [this], 'sigmoid', () => {
      this.grad += s * (1 - s) * out.grad;
    });
    return out;
  }

  /** −x, built from `mul`. */
  neg(): Value { return this.mul(-1); }

  /** this − other, built from `add` and `neg`. */
  sub(other: ValueLike): Value { return this.add(asValue(other).neg()); }

  /** this / other, built from `mul` and `pow(−1)`. */
  div(other: ValueLike): Value { return this.mul(asValue(other).pow(-1)); }

  // guide:value-backward
  /**
   * Fills in `grad` on every Value this one was computed from: ∂this/∂v. Gradients add up, as in
   * PyTorch, so reset them (`v.grad = 0`) between backward passes.
   * @example const x = new Value(3); x.mul(x).backward(); x.grad // → 6
   */
  backward(): void {
    // Depth-first post-order with an explicit stack (no recursion, so long chains are fine):
    // a Value is appended after all of its inputs.
    const order: Value[] = [];
    const seen = new Set<Value>([this]);
    const stack: [Value, number][] = [[this, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const input = top[0].inputs[top[1]++];
      if (input === undefined) order.push(stack.pop()![0]);
      else if (!seen.has(input)) {
        seen.add(input);
        stack.push([input, 0]);
      }
    }
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardStep();
  }
  // guide:end

  /** `Value(data=…, grad=…)`. */
  toString(): string { return `Value(data=${this.data}, grad=${this.grad})`; }
}

/** Wraps a number as a constant leaf. */
function asValue(x: ValueLike): Value {
  return x instanceof Value ? x : new Value(x);
}
