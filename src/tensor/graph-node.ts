/**
 * A node of the autograd graph: the record one op leaves on its output so that backward can
 * run it in reverse. It keeps the op's class (whose static `backward` computes input gradients),
 * the context (saved tensors and values) and, for each forward argument, the input tensor to
 * send a gradient to (null for arguments that need none).
 */
import { AutogradError } from '../errors.js';
import type { Tensor, VersionCounter } from './tensor.js';

/**
 * What an op's forward may keep for its backward. Tensors go through `saveForBackward`, which
 * remembers their version so an in-place change in between is caught; other values (dims,
 * shapes, flags) can be stored as plain fields, `ctx.dim = dim`, typed with `ContextWith`.
 */
/** The per-call context of an op: saved tensors, `needsInputGrad`, and any fields the op stores. */
export class Context {
  /** For each forward argument: does it need a gradient? */
  readonly needsInputGrad: boolean[];
  // Empty until saveForBackward (most small ops' contexts are created, and dropped, without it).
  private saved: Tensor[] | null = null;
  private savedVersions: number[] | null = null;
  private opName = 'op';
  /** @internal Set once backward has run and the graph was not retained. */
  freed = false;

  constructor(needsInputGrad: boolean[]) {
    this.needsInputGrad = needsInputGrad;
  }

  /** @internal The op's name, used in error messages. */
  setName(name: string): void {
    this.opName = name;
  }

  /** Keeps tensors for backward. */
  saveForBackward(...tensors: Tensor[]): void {
    this.saved = tensors;
    this.savedVersions = tensors.map((t) => t.version.value);
  }

  /** The saved tensors; throws when the graph was freed or one of them was changed in place. */
  get savedTensors(): Tensor[] {
    if (this.freed) {
      throw new AutogradError(
        `${this.opName}: trying to backward through the graph a second time; its saved tensors were freed after the first backward. Pass { retainGraph: true } to the first backward() or grad() call.`,
      );
    }
    const saved = this.saved ?? [];
    const versions = this.savedVersions ?? [];
    for (let i = 0; i < saved.length; i++) {
      const t = saved[i];
      if (t.version.value !== versions[i]) {
        throw new AutogradError(
          `${this.opName}: saved tensor ${i} (shape [${t.shape.join(',')}]) was modified by an in-place operation after it was saved (version ${t.version.value}, expected ${versions[i]})`,
        );
      }
    }
    return saved;
  }

  /**
   * @internal Before an in-place op overwrites the elements behind `version`, it calls this on
   * the nodes it just recorded: each saved tensor over those elements is replaced by `copy(t)`,
   * so a copy of the old values is kept only where a backward will read them.
   */
  replaceSavedSharing(version: VersionCounter, copy: (t: Tensor) => Tensor): void {
    const saved = this.saved;
    const versions = this.savedVersions;
    if (saved === null || versions === null) return;
    for (let i = 0; i < saved.length; i++) {
      if (saved[i].version !== version) continue;
      saved[i] = copy(saved[i]);
      versions[i] = saved[i].version.value;
    }
  }

  /** @internal Drops the saved tensors (after a backward without retainGraph). */
  release(): void {
    this.freed = true;
    this.saved = null;
    this.savedVersions = null;
  }
}

/** A context that also carries an op's own fields, e.g. `ContextWith<{ dim: number }>`. */
export type ContextWith<T> = Context & T;

/** The static side of an op class, as the engine calls it. */
export interface OpClass {
  /** The op's name, e.g. `Mul` (its node is `MulBackward`). */
  readonly name: string;
  /** The gradients of the forward arguments given the output's gradient `grad`. */
  backward(ctx: Context, grad: Tensor): Tensor | null | (Tensor | null)[];
}

/** How many nodes have been made so far (see Node.serial). */
let nodesMade = 0;

/** @internal The serial the next node will get: nodes with a serial at least this were made after the call. */
export function nextNodeSerial(): number {
  return nodesMade;
}

/** One recorded op in the graph: the op class, its context, and the inputs that receive gradients. */
export class Node {
  /** e.g. `MulBackward`. */
  readonly name: string;
  /** Where the op was created (kept only under `detectAnomaly`). */
  readonly creationSite: string | undefined;
  /**
   * For each input, the node that had computed it when this op read it (null for leaves and
   * for arguments without a gradient). An in-place op later gives the input tensor a new
   * gradFn; the gradient of this op still belongs to the version it read, which this keeps.
   */
  readonly inputNodes: readonly (Node | null)[];
  /**
   * @internal Set when an in-place op (or a rewrite of a view's history) gave this node's output
   * tensor a new gradFn: a tensor object standing for the output as this node computed it, with
   * the hooks registered before the change.
   */
  olderVersion: Tensor | null = null;
  /** @internal Order of creation, so an in-place op can tell the nodes it recorded from older ones. */
  readonly serial = nodesMade++;

  /**
   * @param op The op class that ran.
   * @param ctx Its context, with the tensors saved for backward.
   */
  constructor(
    readonly op: OpClass,
    readonly ctx: Context,
    /** For each forward argument, the tensor that receives its gradient, or null. */
    readonly inputs: readonly (Tensor | null)[],
    /**
     * @internal The forward arguments as passed, constants included (a tensor needing no
     * gradient, such as `c` in `a·b + c`), so pictures of the graph can draw them. The array
     * `apply` already holds: keeping it costs one field, where a copy or weak references per op
     * cost about a tenth of the autograd overhead.
     */
    readonly args: readonly unknown[] = inputs,
    creationSite?: string,
  ) {
    this.name = `${op.name}Backward`;
    this.creationSite = creationSite;
    this.inputNodes = inputs.map((t) => t?.gradFn ?? null);
    ctx.setName(this.name);
  }

  /**
   * The tensor that receives the gradient of input i: the input itself, or, when it was changed
   * in place after this op read it, the tensor standing for the version that was read.
   */
  inputVersion(i: number): Tensor | null {
    const t = this.inputs[i];
    if (t === null) return null;
    const madeBy = this.inputNodes[i];
    if (t.gradFn === madeBy) return t;
    // A leaf when read that has a history now (it stopped requiring grad, then joined the graph
    // through an in-place op): the leaf it was no longer takes gradients.
    if (madeBy === null) return null;
    return madeBy.olderVersion;
  }

  // guide:node-backward
  /** Runs the op's backward: one gradient (or null) per forward argument. */
  backward(grad: Tensor): (Tensor | null)[] {
    if (this.ctx.freed) {
      throw new AutogradError(
        `${this.name}: trying to backward through the graph a second time; it was freed after the first backward. Pass { retainGraph: true } to the first backward() or grad() call.`,
      );
    }
    const result = this.op.backward(this.ctx, grad);
    const grads = Array.isArray(result) ? result : [result];
    if (grads.length !== this.inputs.length) {
      throw new AutogradError(
        `${this.name}: backward returned ${grads.length} gradients for ${this.inputs.length} forward arguments (return null for arguments that need none)`,
      );
    }
    return grads;
  }
  // guide:end
}
