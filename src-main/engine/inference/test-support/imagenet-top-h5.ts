// Test support: a Keras .h5 weights file for MobileNetV2 with a 1000-class top that always
// answers one chosen ImageNet class, so classification through a loaded file can be checked.
import type { Tf } from '../../backend';
import { buildModel } from '../../models/build-model';
import { keras2Layers } from '../../models/weights/test-support/tiny-models';
import { writeKeras2H5 } from '../../models/weights/test-support/keras-writers';

/** Writes MobileNetV2 (random trunk) at `inputSize` whose classifier puts nearly all probability on `classIndex`. */
export async function writeMobilenetTopH5(tf: Tf, file: string, inputSize: number, classIndex: number): Promise<void> {
  const model = buildModel(tf, 'mobilenet_v2', { includeTop: true, inputShape: [inputSize, inputSize, 3], classes: 1000 });
  try {
    const predictions = model.getLayer('predictions');
    const [kernel] = predictions.getWeights();
    const bias = new Float32Array(1000);
    bias[classIndex] = 50;
    const zeros = tf.zerosLike(kernel!);
    const biasTensor = tf.tensor1d(bias);
    predictions.setWeights([zeros, biasTensor]);
    zeros.dispose();
    biasTensor.dispose();
    await writeKeras2H5(file, keras2Layers(model));
  } finally {
    model.dispose();
  }
}
