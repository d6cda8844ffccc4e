/**
 * What exportOnnx refuses, and how: unknown options (checkOptions), bad names and opsets, an op
 * with no mapping (named, with the supported list), batch norm in training mode, a constant
 * that depends on the batch size. And the options it takes: names, opset, fixed shapes.
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randn, type Tensor } from 'tsgrad';
import { exportOnnx, OnnxExportError, supportedOnnxOps } from 'tsgrad/onnx';
import { agreement, decodeModel } from './run-onnx';
import { Cube } from '../autograd/custom-ops.js';

class Lambda extends nn.Module {
  constructor(private readonly fn: (...xs: Tensor[]) => Tensor) {
    super();
  }
  /** Whatever the wrapped function computes. */
  override forward(...xs: Tensor[]): Tensor {
    return this.fn(...xs);
  }
}

const mlp = () => new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));

describe('exportOnnx: errors and options', () => {
  it('checks its options object: an unknown key and a snake_case key are named', () => {
    const model = mlp();
    expect(() => exportOnnx(model, [randn([2, 3])], { dynamic_axes: {} } as never)).toThrow(/exportOnnx: unknown option 'dynamic_axes' \(did you mean 'dynamicAxes'\?\)/);
    expect(() => exportOnnx(model, [randn([2, 3])], 17 as never)).toThrow(/exportOnnx: expected an options object/);
  });

  it('refuses bad names, opsets, dynamic axes and sample inputs before tracing', () => {
    const model = mlp();
    const x = randn([2, 3]);
    expect(() => exportOnnx(model, [x], { inputNames: ['a', 'b'] })).toThrow(OnnxExportError);
    expect(() => exportOnnx(model, [x], { outputNames: [''] })).toThrow(/outputNames must be 1 non-empty string/);
    expect(() => exportOnnx(model, [x], { opset: 12 })).toThrow(/opset must be an integer from 17 to 21, got 12/);
    expect(() => exportOnnx(model, [x], { dynamicAxes: { pixels: [0] } })).toThrow(/dynamicAxes names 'pixels'/);
    expect(() => exportOnnx(model, [x], { dynamicAxes: { input: [2] } })).toThrow(/dynamic axis 2 of 'input' is out of range for rank 2/);
    expect(() => exportOnnx(model, [] as Tensor[])).toThrow(/sampleInputs must be a non-empty array of tensors/);
  });

  it('names an op with no mapping by its graph node and lists the supported ones', () => {
    const model = new Lambda((x) => Cube.apply(x.relu()).sum(1));
    const error = (() => {
      try {
        exportOnnx(model, [randn([2, 3])]);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(OnnxExportError);
    expect(error?.message).toMatch(/no ONNX mapping for the op CubeBackward; supported ops: .*Conv2dBackward.*LSTMSequenceBackward/);
    expect(supportedOnnxOps()).toContain('LayerNormRowsBackward');
    expect(supportedOnnxOps()).not.toContain('CubeBackward');
  });

  it('refuses batch norm in training mode, asking for model.eval()', () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2));
    expect(() => exportOnnx(model, [randn([2, 1, 5, 5])])).toThrow(/exportOnnx: '1' \(BatchNorm2d\) is in training mode: batch normalisation would use the batch's statistics; call model\.eval\(\)/);
    model.eval();
    expect(() => exportOnnx(model, [randn([2, 1, 5, 5])])).not.toThrow();
    // The functional form in training mode, which no module flag shows, is refused at its op.
    const functional = new Lambda((x) => nn.functional.batchNorm(x, null, null, { training: true }));
    functional.eval();
    expect(() => exportOnnx(functional, [randn([2, 3, 4])])).toThrow(/BatchNormTrainingBackward: batch normalisation ran in training mode/);
  });

  it('refuses dropout in training mode (its random mask would be baked in), naming the module', () => {
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Dropout(0.2), new nn.Linear(4, 2));
    expect(() => exportOnnx(model, [randn([2, 3])])).toThrow(/exportOnnx: '1' \(Dropout\) is in training mode and drops at random \(dropout 0.2\); call model.eval\(\)/);
    const attention = new nn.MultiheadAttention(4, 2, { dropout: 0.1 });
    expect(() => exportOnnx(new nn.Sequential(attention), [randn([2, 3, 4])])).toThrow(/'0' \(MultiheadAttention\) is in training mode and drops at random \(dropout 0.1\)/);
    model.eval();
    expect(() => exportOnnx(model, [randn([2, 3])])).not.toThrow();
  });

  it('refuses a forward that changes a traced tensor in place (the file would compute the old value)', () => {
    const lin = new nn.Linear(3, 3);
    const model = new Lambda((x) => {
      const h = lin.forward(x);
      h.relu_();
      return h.mul(2);
    });
    Object.assign(model, { lin });
    model.eval();
    expect(() => exportOnnx(model, [randn([2, 3])])).toThrow(/forward changes a tensor of shape \[2, 3\] in place after an op read or made it/);
  });

  it('refuses a batch-shaped constant with varying values (it would bake one batch in)', () => {
    const model = new Lambda((x) => x.add(randn([...x.shape])));
    expect(() => exportOnnx(model, [randn([2, 3])])).toThrow(/depends on the batch size and holds varying values/);
    // With fixed shapes the same model exports (the constant is a constant then).
    expect(() => exportOnnx(model, [randn([2, 3])], { dynamicAxes: {} })).not.toThrow();
  });

  it('takes input and output names, an opset, and fixed shapes', async () => {
    manualSeed(40);
    const model = mlp();
    const x = randn([2, 3]);
    const proto = decodeModel(exportOnnx(model, [x], { inputNames: ['features'], outputNames: ['scores'], opset: 18, dynamicAxes: {} }));
    expect(Number(proto.opsetImport?.[0].version)).toBe(18);
    expect(proto.graph?.input?.[0].name).toBe('features');
    expect(proto.graph?.input?.[0].type?.tensorType?.shape?.dim?.map((d) => Number(d.dimValue))).toEqual([2, 3]);
    expect(proto.graph?.output?.[0].type?.tensorType?.shape?.dim?.map((d) => Number(d.dimValue))).toEqual([2, 2]);
    const diff = await agreement(model, [x], [[randn([2, 3])]], { inputNames: ['features'], outputNames: ['scores'], opset: 18, dynamicAxes: {} });
    expect(diff).toBeLessThan(1e-5);
  });
});
