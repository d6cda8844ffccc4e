/**
 * The `tsgrad/onnx` entry holds the names docs/api.md and API.md promise, and the core entry
 * does not carry them (the exporter stays out of the dependency-free core).
 */
import { describe, expect, it } from 'vitest';
import * as core from 'tsgrad';
import * as onnxEntry from 'tsgrad/onnx';

describe('the tsgrad/onnx entry', () => {
  it('exports exportOnnx, supportedOnnxOps and OnnxExportError', () => {
    expect(typeof onnxEntry.exportOnnx).toBe('function');
    expect(typeof onnxEntry.supportedOnnxOps).toBe('function');
    expect(new onnxEntry.OnnxExportError('x')).toBeInstanceOf(Error);
    expect(Object.keys(onnxEntry).sort()).toEqual(['OnnxExportError', 'exportOnnx', 'supportedOnnxOps']);
  });

  it('is not part of the core entry', () => {
    expect('exportOnnx' in core).toBe(false);
  });
});
