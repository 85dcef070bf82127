import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { GraftError } from '../../api/errors';
import { checkBatch, type FrozenForward } from '../inference/frozen-forward';
import type { OnnxRuntime } from '../onnx/ort-loader';
import { DEFAULT_THREADS, sessionOptions } from '../onnx/ort-session';

/** An ONNX classifier file opened in ONNX Runtime, before its input size is settled. */
export interface OpenedOnnxFile {
  /** Per image, channels last: [height, width, channels]; null where the file leaves a size open. */
  input: (number | null)[];
  /** Probabilities per image, or null when the file leaves it open. */
  outputWidth: number | null;
  /** The seam over this session, for images of the given size; the forward then owns the session. */
  forward(height: number, width: number): FrozenForward;
  /** Frees the session when no forward was made. */
  dispose(): Promise<void>;
}

function dims(metadata: InferenceSession.ValueMetadata | undefined): (number | null)[] | null {
  if (!metadata?.isTensor || metadata.shape.length === 0) return null;
  return metadata.shape.map((d) => (typeof d === 'number' && d > 0 ? d : null));
}

/** NCHW → NHWC positions of one batch (a PyTorch-style model takes channels first). */
function toChannelsFirst(batch: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(batch.length);
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    const base = i * plane * c;
    for (let p = 0; p < plane; p++) for (let k = 0; k < c; k++) out[base + k * plane + p] = batch[base + p * c + k]!;
  }
  return out;
}

/**
 * Opens an `.onnx` classifier (Graft's export, or any one-input float32 model whose first output
 * is a row per image) for the FrozenForward seam. Graft's exports take NHWC; a model whose input
 * is [N, 3, H, W] gets its batch transposed to channels first.
 */
export async function openOnnxFile(runtime: OnnxRuntime, file: string, threads = DEFAULT_THREADS): Promise<OpenedOnnxFile> {
  const label = path.basename(file);
  let session: InferenceSession;
  try {
    session = await runtime.ort.InferenceSession.create(file, sessionOptions({ threads }));
  } catch (error) {
    throw new GraftError('bad-request', `ONNX Runtime cannot load ${label}: ${(error as Error).message.split('\n')[0]}`);
  }
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  const input = dims(session.inputMetadata[0]);
  if (session.inputNames.length !== 1 || !inputName || !outputName || !input || input.length !== 4) {
    await session.release();
    throw new GraftError('bad-request', `${label} is not an image classifier Graft can run: it needs one image input [N, H, W, 3] and a probability output.`);
  }
  const channelsFirst = input[1] === 3 && input[3] !== 3;
  const perImage = channelsFirst ? [input[2]!, input[3]!, input[1]!] : [input[1]!, input[2]!, input[3]!];
  const output = dims(session.outputMetadata[0]);
  const rest = output?.slice(1) ?? [null];
  const outputWidth = rest.every((d) => d !== null) ? rest.reduce<number>((a, b) => a * b!, 1) : null;
  let owned = false;
  return {
    input: perImage,
    outputWidth,
    forward(height, width) {
      owned = true;
      const inputShape = [height, width, 3];
      let rowWidth = outputWidth;
      return {
        runtime: 'onnx',
        description: `onnxruntime-node ${runtime.version}, cpu, ${threads} thread${threads === 1 ? '' : 's'}`,
        inputShape,
        outputLayers: [outputName],
        get outputShapes() {
          return [[rowWidth ?? 0]];
        },
        async run(batch, n) {
          checkBatch(batch, n, inputShape);
          const data = channelsFirst ? toChannelsFirst(batch, n, height, width, 3) : batch;
          const shape = channelsFirst ? [n, 3, height, width] : [n, height, width, 3];
          const results = await session.run({ [inputName]: new runtime.ort.Tensor('float32', data, shape) });
          const out = results[outputName]?.data;
          if (!(out instanceof Float32Array)) throw new GraftError('bad-request', `${label}'s output "${outputName}" is not float32.`);
          rowWidth = out.length / n;
          return [out];
        },
        dispose() {
          void session.release();
        },
      };
    },
    async dispose() {
      if (!owned) await session.release();
    },
  };
}
