import { describe, expect, it } from 'vitest';
import { camelCaseOf, checkNumberArg, checkNumberArgs, checkOptions, optionKeys } from '../../src/options.js';

describe('checkOptions', () => {
  const valid = ['numLayers', 'batchFirst'] as const;

  it('accepts known keys, undefined and null', () => {
    expect(() => checkOptions('nn.LSTM', { numLayers: 2, batchFirst: true }, valid)).not.toThrow();
    expect(() => checkOptions('nn.LSTM', undefined, valid)).not.toThrow();
    expect(() => checkOptions('nn.LSTM', null, valid)).not.toThrow();
  });

  it('names the op, the key, the camelCase form and the valid keys', () => {
    expect(() => checkOptions('nn.LSTM', { batch_first: true }, valid)).toThrow(
      "nn.LSTM: unknown option 'batch_first' (did you mean 'batchFirst'?); valid options: numLayers, batchFirst",
    );
    expect(() => checkOptions('nn.LSTM', { layers: 2 }, valid)).toThrow("nn.LSTM: unknown option 'layers'; valid options: numLayers, batchFirst");
  });

  it('suggests the renamed key of a renamed option', () => {
    expect(() => checkOptions('TransformerEncoder.forward', { srcMask: null }, ['mask'], { srcMask: 'mask' })).toThrow(
      "TransformerEncoder.forward: unknown option 'srcMask' (did you mean 'mask'?); valid options: mask",
    );
  });

  it('optionKeys lists the keys; checkNumberArg(s) refuse an object where a number belongs', () => {
    expect(optionKeys<{ a?: number; b?: string }>({ a: true, b: true })).toEqual(['a', 'b']);
    expect(() => checkNumberArg('nn.LeakyReLU', 'negativeSlope', { negative_slope: 0.2 })).toThrow(
      'nn.LeakyReLU: negativeSlope must be a number, passed by position, got an object with keys negative_slope',
    );
    expect(() => checkNumberArg('nn.Dropout', 'p', undefined)).not.toThrow();
    expect(() => checkNumberArgs('uniform_', { low: 0, high: '1' })).toThrow("uniform_: high must be a number, passed by position, got string 1");
  });

  it('refuses a positional number or an array where an options object belongs', () => {
    expect(() => checkOptions('nn.LSTM', 2, valid)).toThrow(/nn\.LSTM: expected an options object .* got number 2/);
    expect(() => checkOptions('nn.LSTM', [1, 1], valid)).toThrow(/got an array \[1, 1\]/);
  });

  it('converts snake_case to camelCase', () => {
    expect(camelCaseOf('padding_idx')).toBe('paddingIdx');
    expect(camelCaseOf('memory_key_padding_mask')).toBe('memoryKeyPaddingMask');
    expect(camelCaseOf('eps')).toBe('eps');
    expect(camelCaseOf('T_max')).toBe('tMax');
    expect(camelCaseOf('T_mult')).toBe('tMult');
    expect(camelCaseOf('T_0')).toBe('t0');
  });
});
