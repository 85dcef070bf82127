/**
 * A rough speed figure for each base on the engine's backend, labelled as an estimate: the
 * frozen forward pass of MobileNetV2 at 224 px measured on a 2-core reference machine
 * (docs: TOOLCHAIN.md — ONNX Runtime ≈ 220 images/s, tfjs wasm ≈ 18, tfjs cpu ≈ 1.3),
 * scaled by each architecture's published multiply-adds per image and by the input area.
 */
import type { EngineStatus } from '../../../src-main/api/types/app';
import type { ArchName } from '../../../src-main/api/types/models';

/** Measured images per second of MobileNetV2 224×224 on the reference machine, per runtime. */
const MEASURED_MOBILENET_224 = { onnx: 220, wasm: 18, cpu: 1.3 } as const;

/** Published multiply-adds per image (billions) at each architecture's default size. */
const GMACS: Record<ArchName, { gmacs: number; size: number }> = {
  mobilenet_v2: { gmacs: 0.3, size: 224 },
  resnet50: { gmacs: 3.9, size: 224 },
  inception_v3: { gmacs: 5.7, size: 299 },
  vgg16: { gmacs: 15.5, size: 224 },
};

/** An estimate of the frozen pass (feature extraction, the activation cache) in images per second. */
export interface SpeedEstimate {
  imagesPerSecond: number;
  /** What runs it, in words: "ONNX Runtime", "tfjs wasm", "tfjs cpu". */
  runtime: string;
}

/** The estimate for an architecture at a size on this engine; null when nothing measured applies (native TensorFlow, engine not ready). */
export function estimateSpeed(arch: ArchName, inputSize: number, status: EngineStatus | null): SpeedEstimate | null {
  if (!status?.backend) return null;
  const onnx = status.onnx?.available === true;
  const runtime = onnx ? 'onnx' : status.backend === 'wasm' || status.backend === 'cpu' ? status.backend : null;
  if (!runtime) return null;
  const { gmacs, size } = GMACS[arch];
  const work = gmacs * (inputSize / size) ** 2;
  const imagesPerSecond = MEASURED_MOBILENET_224[runtime] * (GMACS.mobilenet_v2.gmacs / work);
  return { imagesPerSecond, runtime: runtime === 'onnx' ? 'ONNX Runtime' : `tfjs ${runtime}` };
}

/** An estimate in words: "≈ 220 images/s", "≈ 1.3 images/s", "≈ 12 s per image". */
export function formatSpeed(estimate: SpeedEstimate): string {
  const r = estimate.imagesPerSecond;
  if (r < 0.5) return `≈ ${Math.round(1 / r)} s per image`;
  return `≈ ${r < 10 ? r.toFixed(1) : String(Math.round(r / (r >= 100 ? 10 : 1)) * (r >= 100 ? 10 : 1))} images/s`;
}
