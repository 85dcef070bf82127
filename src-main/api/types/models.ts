/** Plain-data types of the model zoo: architecture names, weight sources, summaries. */

/** The Keras Applications architectures Graft can build. */
export type ArchName = 'vgg16' | 'resnet50' | 'inception_v3' | 'mobilenet_v2';

/** Global pooling of a trunk's last feature map. */
export type Pooling = 'avg' | 'max';

/** Keras `preprocess_input` modes: which pixel scaling a family's weights were trained with. */
export type PreprocessMode = 'caffe' | 'tf' | 'torch';

/** Architecture families; archs of one family share preprocessing and head shape. */
export type ArchFamily = 'vgg' | 'resnet' | 'inception' | 'mobilenet';

/**
 * Where pretrained weights for an architecture can come from: Keras's ImageNet file
 * (downloaded), a file the user picks, or a model shipped inside an npm package.
 */
export type WeightSource = 'imagenet' | 'file' | 'bundled';

/** What Graft knows about one architecture before building it. */
export interface ArchSpec {
  name: ArchName;
  displayName: string;
  family: ArchFamily;
  /** The Keras model name, e.g. `resnet50` (MobileNetV2 appends `_<input size>`). */
  kerasName: string;
  /** Square input side used when no input shape is given. */
  defaultInputSize: number;
  /** Smallest input side Keras accepts for this architecture. */
  minInputSize: number;
  preprocessMode: PreprocessMode;
  /** Keras's published parameter counts at the default input size with 1000 classes. */
  params: { withTop: number; withoutTop: number };
  weightSources: readonly WeightSource[];
}

/** Names of the pretrained trunks shipped inside npm packages (work offline). */
export type BundledName = 'nsfwjs-mobilenet-v2' | 'nsfwjs-inception-v3';

/** A pretrained trunk shipped with the app, described honestly for the UI. */
export interface BundledBase {
  name: BundledName;
  label: string;
  arch: ArchName;
  /** The input size it was trained at; the trunk loads at any size the architecture allows. */
  inputSize: number;
  /** Always false: the ImageNet classifier head is not in these files. */
  includeTopAvailable: false;
  description: string;
  license: string;
  /** Folder under nsfwjs's dist/models. */
  folder: string;
}

/** One architecture as the model picker lists it (`models.list`). */
export interface ModelInfo {
  arch: string;
  name: string;
  family: string;
  defaultInputSize: number;
  minInputSize: number;
  /** Keras `preprocess_input` mode of its ImageNet weights: caffe, tf or torch. */
  preprocessing: string;
  /** Keras's published counts at the default size with 1000 classes. */
  params: { withTop: number; withoutTop: number };
  /** imagenet = Keras's ImageNet file (downloaded), file = a file the user picks, bundled = offline. */
  weightSources: WeightSource[];
  /** The pretrained trunk shipped with the app, where there is one (it has no ImageNet classifier). */
  bundled: { name: string; label: string; inputSize: number; description: string; license: string } | null;
}

/** Options of `models.summary`, as `graft model-summary` takes them. */
export interface ModelSummaryParams {
  arch: ArchName;
  includeTop: boolean;
  /** Only without the top (Keras ignores it with the top). */
  pooling?: Pooling;
  /** Square input side; the architecture's default when absent. */
  inputSize?: number;
  /** Classes of the classifier (default 1000); only with the top. */
  classes?: number;
}

/** One layer of a built model, as a row of Keras's `model.summary()`. */
export interface LayerSummary {
  name: string;
  /** The layer's class, e.g. `Conv2D`, `BatchNormalization`. */
  className: string;
  /** Output shape with null for the batch dimension; a list of shapes for a layer with several outputs. */
  outputShape: (number | null)[] | (number | null)[][];
  params: number;
  trainable: boolean;
  /** The block the layer tree groups it in (`block_16`, `conv5`, `head` …). */
  block: string;
  /** Names of the layers feeding it ("connected to"). */
  inbound: string[];
}

/** A built architecture's layers, blocks and parameter counts (`graft model-summary --json`). */
export interface ModelSummary {
  arch: ArchName;
  inputShape: [number, number, number];
  includeTop: boolean;
  pooling: Pooling | null;
  classes: number | null;
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Number of layers, the input layer included (as Keras's `len(model.layers)`). */
  layers: number;
  blocks: { name: string; layers: number; params: number; trainableParams: number }[];
  /** Every layer in the model's order, with its block. */
  layerTable: LayerSummary[];
}

/** One decoded ImageNet prediction, as Keras's `decode_predictions` tuple. */
export interface ImagenetPrediction {
  classId: string;
  label: string;
  probability: number;
}

/** Parameters of `models.download`: an architecture's ImageNet weights (without the top) for an input size. */
export interface DownloadWeightsParams {
  arch: ArchName;
  inputSize?: number;
  /** Where the engine keeps weights; its default cache when absent. */
  cacheDir?: string;
  /** Replaces Keras's download host (mirrors, tests). */
  baseUrl?: string;
}

/** Which architecture's ImageNet weights to look for (the file the engine would use for this input size). */
export interface WeightsStatusParams {
  arch: ArchName;
  inputSize?: number;
}

/** Whether an architecture's ImageNet weights are in the engine's cache, and where they come from. */
export interface WeightsStatus {
  arch: ArchName;
  /** Keras's file name, as the cache keeps it. */
  file: string;
  /** The official download address. */
  url: string;
  /** Where the file is, or would be once downloaded (a user offline can put it there). */
  path: string;
  present: boolean;
  /** The file's size when present. */
  bytes: number | null;
}

/** A weights file in the cache. */
export interface DownloadedWeights {
  arch: ArchName;
  file: string;
  path: string;
  cached: boolean;
}
