import { describe, expect, it } from 'vitest';
import { Module, Tensor, manualSeed, nn, noGrad, randint, randn } from '../../src/index.js';
import { stateDictShapes } from './helpers.js';

/** A small CNN as PyTorch users write it: named fields, a Sequential, BatchNorm buffers. */
class SmallCNN extends Module {
  features = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(4, 8, 3, { padding: 'same' }), new nn.ReLU(), new nn.AdaptiveAvgPool2d(2),
  );
  classifier = new nn.Sequential(new nn.Flatten(), new nn.Dropout(0.25), new nn.Linear(32, 10));
  override forward(x: Tensor): Tensor {
    return this.classifier.forward(this.features.forward(x));
  }
}

describe('a model built from the layers', () => {
  it("has PyTorch's state-dict keys and shapes in registration order", () => {
    expect(stateDictShapes(new SmallCNN())).toEqual([
      ['features.0.weight', [4, 1, 3, 3]], ['features.0.bias', [4]],
      ['features.1.weight', [4]], ['features.1.bias', [4]], ['features.1.running_mean', [4]], ['features.1.running_var', [4]], ['features.1.num_batches_tracked', []],
      ['features.4.weight', [8, 4, 3, 3]], ['features.4.bias', [8]],
      ['classifier.2.weight', [10, 32]], ['classifier.2.bias', [10]],
    ]);
  });

  it('prints its module tree', () => {
    expect(new SmallCNN().toString()).toBe([
      'SmallCNN(',
      '  (features): Sequential(',
      '    (0): Conv2d(1, 4, kernelSize=[3, 3], stride=[1, 1], padding=[1, 1])',
      '    (1): BatchNorm2d(4, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)',
      '    (2): ReLU()',
      '    (3): MaxPool2d(kernelSize=[2, 2], stride=[2, 2], padding=[0, 0])',
      "    (4): Conv2d(4, 8, kernelSize=[3, 3], stride=[1, 1], padding='same')",
      '    (5): ReLU()',
      '    (6): AdaptiveAvgPool2d(outputSize=2)',
      '  )',
      '  (classifier): Sequential(',
      '    (0): Flatten(startDim=1, endDim=-1)',
      '    (1): Dropout(p=0.25)',
      '    (2): Linear(inFeatures=32, outFeatures=10, bias=true)',
      '  )',
      ')',
    ].join('\n'));
  });

  it('trains: a few SGD steps lower the cross-entropy on a fixed batch', () => {
    manualSeed(31);
    const model = new SmallCNN();
    const lossFn = new nn.CrossEntropyLoss();
    const x = randn([16, 1, 8, 8]);
    const y = randint(0, 3, [16], { dtype: 'int32' });
    const step = () => {
      model.zeroGrad();
      const loss = lossFn.forward(model.forward(x), y);
      loss.backward();
      noGrad(() => model.parameters().forEach((p) => p.sub_(p.grad!.mul(0.3))));
      return loss.item();
    };
    const first = step();
    let last = first;
    for (let i = 0; i < 19; i++) last = step();
    expect(last).toBeLessThan(0.6 * first);
    // Evaluation is deterministic (dropout off, running statistics used).
    model.eval();
    const a = model.forward(x).toArray();
    expect(model.forward(x).toArray()).toEqual(a);
  });

  it('loads its own state dict into a fresh copy with identical outputs', () => {
    manualSeed(1);
    const a = new SmallCNN().eval();
    manualSeed(2);
    const b = new SmallCNN().eval();
    const x = randn([2, 1, 8, 8]);
    expect(b.forward(x).toArray()).not.toEqual(a.forward(x).toArray());
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
  });
});
