/**
 * Two runs' settings side by side: each TrainingConfig flattened to named fields, the union
 * of fields in a stable order, and which differ. A field only one config has (a freeze plan
 * of another kind, an optional setting left out) shows as "—" on the other side.
 */
import type { TrainingConfig } from '../../../src-main/api/types/runs';

/** One row of the comparison. */
export interface ConfigDiffRow {
  path: string;
  label: string;
  a: string;
  b: string;
  differs: boolean;
}

/** Words for the fields people look at; other fields show their path. */
const LABELS: Record<string, string> = {
  'base.arch': 'Architecture',
  'base.weights': 'Weights',
  'base.inputSize': 'Input size',
  'head.pooling': 'Pooling',
  'head.dropout': 'Dropout after pooling',
  'head.layers': 'Dense layers',
  'head.output': 'Output',
  'freeze.kind': 'Trainable part',
  'freeze.blocks': 'Unfrozen blocks',
  'freeze.block': 'Unfrozen from block',
  'freeze.layers': 'Unfrozen layers',
  'optimizer.name': 'Optimizer',
  'optimizer.learningRate': 'Learning rate',
  'schedule.kind': 'Schedule',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  'twoStage.fineTuneEpochs': 'Fine-tune epochs',
  'twoStage.lrFactor': 'Fine-tune LR factor',
  earlyStopping: 'Early stopping',
  'earlyStopping.monitor': 'Early stopping watches',
  'earlyStopping.patience': 'Early stopping patience',
  'classWeights.kind': 'Class weights',
  labelSmoothing: 'Label smoothing',
  augment: 'Augmentation',
  'augmentMode.kind': 'Augmented images',
  'augmentMode.variants': 'Cached variants',
  seed: 'Seed',
  useCache: 'Activation cache',
  runtime: 'Runtime',
  twoStage: 'Two-stage recipe',
};

/** A leaf value in words. */
function show(value: unknown): string {
  if (value === null) return 'none';
  if (value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value.map((v) => (typeof v === 'object' && v !== null ? Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k} ${show(x)}`).join(', ') : show(v))).join(' · ');
  }
  return JSON.stringify(value);
}

/** Flattens a config into [path, value in words], objects walked in their key order, arrays kept whole. */
export function flattenConfig(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [[prefix, 'none']];
    return entries.flatMap(([key, inner]) => flattenConfig(inner, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix, show(value)]];
}

/** Rows comparing config `a` with `b`, in a's field order then b's extra fields. */
export function configDiff(a: TrainingConfig, b: TrainingConfig): ConfigDiffRow[] {
  const left = new Map(flattenConfig(a));
  const right = new Map(flattenConfig(b));
  const paths = [...left.keys(), ...[...right.keys()].filter((p) => !left.has(p))];
  return paths.map((path) => {
    const av = left.get(path) ?? '—';
    const bv = right.get(path) ?? '—';
    return { path, label: LABELS[path] ?? path, a: av, b: bv, differs: av !== bv };
  });
}
