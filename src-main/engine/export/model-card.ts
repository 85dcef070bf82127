import type { ExportFormat, ExportMeta, ParityReport, PreprocessingSpec } from '../../api/types/export';
import type { TrainingConfig } from '../../api/types/runs';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The freeze plan in words. */
export function describeFreeze(config: TrainingConfig): string {
  const plan = config.freeze;
  switch (plan.kind) {
    case 'head-only':
      return 'the whole base frozen; only the head trained';
    case 'all':
      return 'every layer trained';
    case 'from':
      return `blocks from ${plan.block} on trained, earlier ones frozen`;
    case 'blocks':
      return `blocks ${plan.blocks.join(', ')} trained, the rest frozen`;
    case 'layers':
      return `${plan.layers.length} layers trained (${plan.layers.slice(0, 5).join(', ')}${plan.layers.length > 5 ? ', …' : ''}), the rest frozen`;
  }
}

/** The head in words. */
export function describeHead(config: TrainingConfig, classes: number): string {
  const parts = [config.head.pooling === 'flatten' ? 'Flatten' : `global ${config.head.pooling} pooling`];
  if (config.head.dropout) parts.push(`dropout ${config.head.dropout}`);
  for (const layer of config.head.layers) parts.push(`Dense(${layer.units}, ${layer.activation ?? 'relu'})${layer.dropout ? ` + dropout ${layer.dropout}` : ''}`);
  parts.push(config.head.output === 'sigmoid' ? 'Dense(1, sigmoid)' : `Dense(${classes}, softmax)`);
  return parts.join(' → ');
}

function loadSnippets(format: ExportFormat, spec: PreprocessingSpec): string[] {
  const pre =
    spec.mode === 'unit'
      ? 'x = x / 255.0'
      : spec.mode === 'tf'
        ? 'x = x / 127.5 - 1.0'
        : spec.mode === 'caffe'
          ? 'x = x[..., ::-1] - [103.939, 116.779, 123.68]  # RGB→BGR, minus the ImageNet means'
          : 'x = (x / 255.0 - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]';
  const python = [
    '```python',
    'import json, numpy as np',
    'from PIL import Image, ImageOps',
    "labels = json.load(open('labels.json'))['classes']",
    `img = ImageOps.exif_transpose(Image.open('photo.jpg')).convert('RGB').resize((${spec.width}, ${spec.height}), Image.BILINEAR)`,
    'x = np.asarray(img, dtype=np.float32)',
    pre,
    'x = x[None].astype(np.float32)  # [1, height, width, 3], channels last',
  ];
  switch (format) {
    case 'keras':
    case 'h5':
      python.push('import keras', `model = keras.saving.load_model('model.${format === 'keras' ? 'keras' : 'h5'}')`, 'p = model.predict(x)[0]');
      break;
    case 'onnx':
      python.push('import onnxruntime as ort', "session = ort.InferenceSession('model.onnx')", 'p = session.run(None, {session.get_inputs()[0].name: x})[0][0]');
      break;
    default:
      python.push('# TF.js models load in JavaScript (below) or with tensorflowjs_converter.', 'p = None');
  }
  python.push('print(labels[int(np.argmax(p))], float(np.max(p)))', '```');
  const js =
    format === 'tfjs'
      ? [
          '```js',
          "import * as tf from '@tensorflow/tfjs';",
          "const model = await tf.loadLayersModel('model.json'); // a URL in a browser; tf.io.fileSystem in Node",
          '// x: a [1, height, width, 3] float32 tensor prepared as preprocessing.json says',
          'const p = model.predict(x);',
          '```',
        ]
      : format === 'onnx'
        ? ['```js', "import * as ort from 'onnxruntime-node';", "const session = await ort.InferenceSession.create('model.onnx');", '// feeds: { [session.inputNames[0]]: new ort.Tensor(\'float32\', data, [1, h, w, 3]) }', '```']
        : [];
  return [...python, ...(js.length ? ['', ...js] : [])];
}

/** The `README.md` model card of an export. */
export function modelCard(meta: ExportMeta, format: ExportFormat, spec: PreprocessingSpec, parity: ParityReport | null): string {
  const { config } = meta;
  const lines = [
    `# ${meta.runName}`,
    '',
    `An image classifier of ${meta.classes.length} classes (${meta.classes.join(', ')}), trained with Graft ${meta.appVersion} on ${meta.createdAt.slice(0, 10)} and exported from its ${meta.checkpoint} checkpoint as ${formatName(format)}.`,
    '',
    '## Model',
    `- Base: ${config.base.arch} with ${typeof config.base.weights === 'string' ? config.base.weights : config.base.weights.file} weights, input ${spec.width}×${spec.height}`,
    `- Freeze plan: ${describeFreeze(config)}${config.twoStage ? ` (two stages: the head for ${config.epochs} epochs, then fine-tuning for ${config.twoStage.fineTuneEpochs} at ×${config.twoStage.lrFactor ?? 0.1} the learning rate)` : ''}`,
    `- Head: ${describeHead(config, meta.classes.length)}`,
    `- Training: ${config.optimizer.name}, learning rate ${config.optimizer.learningRate}, ${config.schedule.kind} schedule, batch ${config.batchSize}, label smoothing ${config.labelSmoothing}, class weights ${config.classWeights.kind}, seed ${config.seed}${config.augment ? `, augmentation ${JSON.stringify(config.augment)}` : ''}`,
    `- Ran on: ${meta.backend ?? 'unknown backend'}, frozen layers on ${meta.runtime ?? 'unknown runtime'}`,
    '',
    '## Input',
    `Decode, apply the EXIF orientation, drop alpha, RGB, stretch to ${spec.width}×${spec.height} (bilinear, no crop), then ${describeScaling(spec)}; layout [batch, height, width, 3] float32. \`preprocessing.json\` says the same as data.`,
    '',
    '## Data',
    `| class | train | validation | test |`,
    `| --- | ---: | ---: | ---: |`,
    ...meta.counts.classes.map((name, i) => `| ${name} | ${meta.counts.perClass[i]!.train} | ${meta.counts.perClass[i]!.validation} | ${meta.counts.perClass[i]!.test} |`),
    '',
    '## Metrics',
  ];
  const last = meta.history.at(-1);
  if (last) lines.push(`After ${meta.history.length} epochs: training accuracy ${pct(last.acc)}${last.valAcc !== null ? `, validation accuracy ${pct(last.valAcc)}` : ''}.`, '');
  for (const evaluation of meta.evaluations) {
    const r = evaluation.report;
    lines.push(
      `### ${evaluation.split} (${evaluation.checkpoint} checkpoint): accuracy ${pct(r.accuracy)}, macro F1 ${r.macro.f1.toFixed(3)}`,
      '',
      '| class | precision | recall | F1 | support |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...meta.classes.map((name, i) => `| ${name} | ${r.precision[i]!.toFixed(3)} | ${r.recall[i]!.toFixed(3)} | ${r.f1[i]!.toFixed(3)} | ${r.support[i]} |`),
      '',
      'Confusion matrix (rows: true class, columns: predicted):',
      '',
      `| | ${meta.classes.join(' | ')} |`,
      `| --- | ${meta.classes.map(() => '---:').join(' | ')} |`,
      ...r.confusion.map((row, i) => `| ${meta.classes[i]} | ${row.join(' | ')} |`),
      '',
    );
  }
  if (parity) {
    lines.push(
      '## Parity',
      `Read back with ${parity.reader} and compared with the run's own model on ${parity.images} held-out images through the preprocessing above: max |Δ| of any class probability ${parity.maxAbsDiff.toExponential(2)} (bound ${parity.bound.toExponential(0)}: ${parity.passed ? 'passed' : 'FAILED'}).`,
      '',
    );
  }
  if (format === 'keras-job') {
    // A training job holds no trained model: say how to run it, not how to load one.
    lines.push(
      '## Train it',
      '',
      'Where Keras 3 (with TensorFlow) runs, on one GPU or several:',
      '',
      '```sh',
      'python3 train.py [--data data] [--out trained.keras]',
      '```',
      '',
      '`config.json` holds every setting of the run; `data/<split>/<class>/` links to the photos (copy the tree with `cp -rL` to take the photos along). The trained model is saved as `trained.keras`; prepare its input as above.',
      '',
    );
    return lines.join('\n');
  }
  lines.push('## Load it', '', ...loadSnippets(format, spec), '', '`labels.json` holds the class names in output order.', '');
  return lines.join('\n');
}

function formatName(format: ExportFormat): string {
  return { tfjs: 'a TensorFlow.js layers model', keras: 'a Keras 3 .keras archive', h5: 'a Keras .h5 file', onnx: 'an ONNX model', 'keras-job': 'a Keras training job' }[format];
}

function describeScaling(spec: PreprocessingSpec): string {
  switch (spec.mode) {
    case 'unit':
      return 'divide by 255 (0…1)';
    case 'tf':
      return 'scale to −1…1 (x / 127.5 − 1)';
    case 'torch':
      return 'divide by 255, subtract the ImageNet means and divide by the standard deviations per channel';
    case 'caffe':
      return 'reorder to BGR and subtract the ImageNet means (103.939, 116.779, 123.68)';
  }
}
