import { loadOnnxRuntime, type OnnxRuntime } from '../ort-loader';

/** ONNX Runtime for a test, loaded for real; throws (failing the test) when it cannot load. */
export async function requireOnnxRuntime(): Promise<OnnxRuntime> {
  const status = await loadOnnxRuntime();
  if (!status.available) throw new Error(status.error);
  return status.runtime;
}
