import * as onnxProtoModule from 'onnx-proto';

/**
 * The `onnx` namespace of onnx-proto (protobufjs static code). The package is CommonJS
 * (`module.exports = $root`), so under Node's ESM loader its namespace arrives as the
 * default export, while its typings declare a named one; this reads whichever is there.
 */
export const onnx: typeof onnxProtoModule.onnx =
  (onnxProtoModule as { onnx?: typeof onnxProtoModule.onnx }).onnx ??
  (onnxProtoModule as unknown as { default: typeof onnxProtoModule }).default.onnx;

/** The opset every converted graph declares (ONNX 1.12, supported by onnxruntime ≥ 1.12). */
export const OPSET = 17;

/** The IR version that opset 17 requires. */
export const IR_VERSION = 8;
