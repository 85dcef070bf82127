import fs from 'node:fs';
import path from 'node:path';
import type { PreprocessingSpec } from '../../api/types/export';
import type { RunImage } from '../../api/types/runs';
import { writeFileAtomic } from '../../base/atomic-write';
import type { ExportMeta } from '../../api/types/export';

/** Keras Applications class and preprocessing module of each architecture. */
const KERAS_APPS: Record<string, { cls: string; module: string }> = {
  vgg16: { cls: 'VGG16', module: 'vgg16' },
  resnet50: { cls: 'ResNet50', module: 'resnet' },
  inception_v3: { cls: 'InceptionV3', module: 'inception_v3' },
  mobilenet_v2: { cls: 'MobileNetV2', module: 'mobilenet_v2' },
};

/** What `config.json` of a training job holds: the run's config and what the script needs resolved. */
export interface KerasJobConfig {
  graftVersion: string;
  run: string;
  classes: string[];
  config: ExportMeta['config'];
  preprocessing: PreprocessingSpec;
  /** Base layers the fine-tuning stage trains (resolved from the freeze plan). */
  unfreezeLayers: string[];
  keras: { application: string; module: string; weights: 'imagenet' | null; note: string | null };
}

/** A folder name for a class that every file system accepts. */
function folderName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').replace(/[. ]+$/, '') || '_';
}

/**
 * Writes a Keras training job: `train.py` (Keras 3, `keras.applications`, the run's base,
 * input size, freeze plan, head, optimizer, schedule, augmentation, preprocessing, class
 * weights, seed and two-stage recipe; `tf.distribute.MirroredStrategy` on several GPUs),
 * `config.json`, and the data as an ImageFolder tree by split (symlinks to the photos).
 */
export async function writeKerasJob(dir: string, meta: ExportMeta, spec: PreprocessingSpec, images: RunImage[], unfreezeLayers: string[] = []): Promise<void> {
  const app = KERAS_APPS[meta.config.base.arch]!;
  const weights = meta.config.base.weights;
  const note =
    weights === 'bundled'
      ? 'The run used the nsfwjs-trained trunk bundled with Graft; Keras does not ship it, so this job starts from the ImageNet weights.'
      : typeof weights === 'object'
        ? `The run used weights from ${weights.file}; this job starts from the ImageNet weights (load your file into base with base.load_weights to match the run).`
        : null;
  const jobConfig: KerasJobConfig = {
    graftVersion: meta.appVersion,
    run: meta.runName,
    classes: meta.classes,
    config: meta.config,
    preprocessing: spec,
    unfreezeLayers,
    keras: { application: app.cls, module: app.module, weights: weights === 'none' ? null : 'imagenet', note },
  };
  await writeFileAtomic(path.join(dir, 'config.json'), JSON.stringify(jobConfig, null, 2));
  await writeFileAtomic(path.join(dir, 'train.py'), TRAIN_PY);
  for (const image of images) {
    const target = path.join(dir, 'data', image.split, folderName(meta.classes[image.label]!), `${image.imageId}-${path.basename(image.path)}`);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.symlink(image.path, target);
  }
}

/** The job's script: every setting comes from config.json, so the script and the run cannot drift apart. */
const TRAIN_PY = `#!/usr/bin/env python3
"""A Keras 3 training job exported by Graft: the same base, input, freeze plan, head,
optimizer, schedule, augmentation, preprocessing, class weights, seed and two-stage recipe
as the Graft run, read from config.json. The data is an ImageFolder tree in data/<split>/<class>/.

    python3 train.py [--data data] [--out trained.keras]

Uses tf.distribute.MirroredStrategy when several GPUs are present.
"""
import argparse
import json
import math
import os

import keras
import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
job = json.load(open(os.path.join(HERE, "config.json")))
cfg = job["config"]
classes = job["classes"]
pre = job["preprocessing"]
size = pre["height"]

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--data", default=os.path.join(HERE, "data"))
parser.add_argument("--out", default=os.path.join(HERE, "trained.keras"))
args = parser.parse_args()

keras.utils.set_random_seed(cfg["seed"])
if job["keras"]["note"]:
    print("Note:", job["keras"]["note"])


def dataset(split, shuffle):
    path = os.path.join(args.data, split)
    if not os.path.isdir(path):
        return None
    return keras.utils.image_dataset_from_directory(
        path, labels="inferred", label_mode="categorical", class_names=classes,
        image_size=(size, size), interpolation="bilinear", batch_size=cfg["batchSize"],
        shuffle=shuffle, seed=cfg["seed"])


def preprocess(x):
    # The documented preprocessing (preprocessing.json), as Graft applies it.
    x = tf.cast(x, tf.float32)
    if pre["channelOrder"] == "BGR":
        x = x[..., ::-1]
    x = x * pre["scale"] + pre["offset"]
    return (x - tf.constant(pre["mean"], tf.float32)) / tf.constant(pre["std"], tf.float32)


def augmentation():
    a = cfg.get("augment") or {}
    steps = []
    flip = "horizontal_and_vertical" if a.get("horizontalFlip") and a.get("verticalFlip") else (
        "horizontal" if a.get("horizontalFlip") else ("vertical" if a.get("verticalFlip") else None))
    if flip:
        steps.append(keras.layers.RandomFlip(flip, seed=cfg["seed"]))
    if a.get("rotationDegrees"):
        steps.append(keras.layers.RandomRotation(a["rotationDegrees"] / 360.0, fill_mode=a.get("fillMode", "reflect"), seed=cfg["seed"]))
    if a.get("zoom"):
        steps.append(keras.layers.RandomZoom((-a["zoom"], 0.0), fill_mode=a.get("fillMode", "reflect"), seed=cfg["seed"]))
    if a.get("brightness"):
        steps.append(keras.layers.RandomBrightness(a["brightness"], value_range=(0, 255), seed=cfg["seed"]))
    if a.get("contrast"):
        steps.append(keras.layers.RandomContrast(a["contrast"], seed=cfg["seed"]))
    return keras.Sequential(steps, name="augmentation") if steps else None


def schedule(base_lr, steps):
    s = cfg["schedule"]
    if s["kind"] == "cosine":
        return keras.optimizers.schedules.CosineDecay(base_lr, max(1, steps), alpha=s.get("minLrFraction", 0.0))
    if s["kind"] == "step":
        drops = max(1, math.ceil(steps / (steps_per_epoch * s["everyEpochs"])))
        return keras.optimizers.schedules.PiecewiseConstantDecay(
            [steps_per_epoch * s["everyEpochs"] * k for k in range(1, drops)] or [steps + 1],
            [base_lr * s["factor"] ** k for k in range(max(2, drops))])
    if s["kind"] == "one-cycle":
        pct, div, final = s.get("pctStart", 0.25), s.get("divFactor", 25.0), s.get("finalDivFactor", 1e5)
        warm = max(1, int(steps * pct))
        return keras.optimizers.schedules.CosineDecay(base_lr / div, max(1, steps - warm), alpha=1.0 / final, warmup_target=base_lr, warmup_steps=warm)
    return base_lr


def optimizer(base_lr, steps):
    o = cfg["optimizer"]
    lr = schedule(base_lr, steps)
    if o["name"] == "sgd":
        return keras.optimizers.SGD(lr, momentum=o.get("momentum", 0.9), nesterov=o.get("nesterov", False))
    if o["name"] == "rmsprop":
        return keras.optimizers.RMSprop(lr, rho=o.get("rho", 0.9), momentum=o.get("momentum", 0.0), epsilon=o.get("epsilon", 1e-7))
    return keras.optimizers.Adam(lr, beta_1=o.get("beta1", 0.9), beta_2=o.get("beta2", 0.999), epsilon=o.get("epsilon", 1e-7))


train_ds, val_ds = dataset("train", True), dataset("validation", False)
steps_per_epoch = len(train_ds)
counts = np.zeros(len(classes))
for _, y in train_ds.unbatch():
    counts[int(np.argmax(y))] += 1
cw = cfg["classWeights"]
class_weight = None
if cw["kind"] == "balanced":
    class_weight = {i: float(counts.sum() / (len(classes) * c)) for i, c in enumerate(counts) if c > 0}
elif cw["kind"] == "manual":
    class_weight = {i: float(cw["weights"].get(name, 1.0)) for i, name in enumerate(classes)}

gpus = tf.config.list_physical_devices("GPU")
strategy = tf.distribute.MirroredStrategy() if len(gpus) > 1 else tf.distribute.get_strategy()
with strategy.scope():
    app = getattr(keras.applications, job["keras"]["application"])
    base = app(include_top=False, weights=job["keras"]["weights"], input_shape=(size, size, 3))
    base.trainable = False
    inputs = keras.Input((size, size, 3))
    x = inputs
    aug = augmentation()
    if aug is not None:
        x = aug(x)
    x = keras.layers.Lambda(preprocess, name="preprocess")(x)
    x = base(x, training=False)  # frozen BatchNormalization stays in inference mode (Keras semantics)
    head = cfg["head"]
    x = {"avg": keras.layers.GlobalAveragePooling2D, "max": keras.layers.GlobalMaxPooling2D, "flatten": keras.layers.Flatten}[head["pooling"]](name="head_pool")(x)
    if head.get("dropout"):
        x = keras.layers.Dropout(head["dropout"], name="head_dropout")(x)
    for i, layer in enumerate(head["layers"]):
        x = keras.layers.Dense(layer["units"], activation=layer.get("activation", "relu"), name=f"head_dense_{i + 1}")(x)
        if layer.get("dropout"):
            x = keras.layers.Dropout(layer["dropout"], name=f"head_dropout_{i + 1}")(x)
    outputs = keras.layers.Dense(len(classes), activation="softmax", name="predictions")(x)
    model = keras.Model(inputs, outputs)


def fit(epochs, base_lr, initial_epoch=0):
    with strategy.scope():
        model.compile(optimizer=optimizer(base_lr, steps_per_epoch * epochs),
                      loss=keras.losses.CategoricalCrossentropy(label_smoothing=cfg["labelSmoothing"]), metrics=["accuracy"])
    callbacks = [keras.callbacks.ModelCheckpoint(args.out, save_best_only=val_ds is not None)]
    es = cfg.get("earlyStopping")
    if es:
        monitor = {"valLoss": "val_loss", "valAcc": "val_accuracy", "loss": "loss", "acc": "accuracy"}[es["monitor"]]
        callbacks.append(keras.callbacks.EarlyStopping(monitor=monitor, mode=es.get("mode", "auto"), patience=es.get("patience", 0),
                                                       min_delta=es.get("minDelta", 0.0), restore_best_weights=es.get("restoreBestWeights", False)))
    return model.fit(train_ds, validation_data=val_ds, epochs=initial_epoch + epochs, initial_epoch=initial_epoch,
                     class_weight=class_weight, callbacks=callbacks)


two_stage = cfg.get("twoStage")
plan = cfg["freeze"]["kind"]
if plan == "head-only":
    fit(cfg["epochs"], cfg["optimizer"]["learningRate"])
else:
    first = cfg["epochs"] if two_stage else 0
    if two_stage:
        fit(first, cfg["optimizer"]["learningRate"])
    wanted = set(job["unfreezeLayers"])
    base.trainable = True
    for layer in base.layers:
        layer.trainable = plan == "all" or layer.name in wanted
    lr = cfg["optimizer"]["learningRate"] * (two_stage.get("lrFactor", 0.1) if two_stage else 1.0)
    fit(two_stage["fineTuneEpochs"] if two_stage else cfg["epochs"], lr, initial_epoch=first)

model.save(args.out)
print("Saved", args.out)
`;
