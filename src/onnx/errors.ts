/** The error the ONNX exporter throws for a model or options it cannot export. */

/**
 * A model, op or option `exportOnnx` cannot write as ONNX; the message names the op or option.
 * @example try { exportOnnx(model, [x]) } catch (e) { if (e instanceof OnnxExportError) console.error(e.message) }
 */
export class OnnxExportError extends Error {
  /** @param message What cannot be exported, and why. */
  constructor(message: string) {
    super(message);
    this.name = 'OnnxExportError';
  }
}
