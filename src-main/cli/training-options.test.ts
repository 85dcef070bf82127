import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GraftError } from '../api/errors';
import { parseArgsOptions, type CliValues } from './command';
import { givenTrainingOptions, TRAINING_OPTIONS, trainingConfigFrom } from './training-options';

/** Parses a command line the way runCli does, so the tests see what a user's flags become. */
function values(argv: string[]): CliValues {
  return parseArgs({ args: argv, options: parseArgsOptions(TRAINING_OPTIONS), strict: true, allowPositionals: true }).values as CliValues;
}

const config = (argv: string[]) => trainingConfigFrom(values(argv));

function refusal(argv: string[]): string {
  try {
    config(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(GraftError);
    expect((error as GraftError).code).toBe('bad-request');
    return (error as GraftError).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('training options', () => {
  it('gives the defaults a fine-tuning user expects: bundled weights, avg pooling, head only, Adam 1e-3, 10 epochs, batch 32, seed 42', () => {
    expect(config(['--base', 'mobilenet_v2'])).toEqual({
      base: { arch: 'mobilenet_v2', weights: 'bundled' },
      head: { pooling: 'avg', layers: [] },
      freeze: { kind: 'head-only' },
      optimizer: { name: 'adam', learningRate: 1e-3 },
      schedule: { kind: 'constant' },
      epochs: 10,
      batchSize: 32,
      twoStage: null,
      earlyStopping: null,
      classWeights: { kind: 'none' },
      labelSmoothing: 0,
      augment: null,
      augmentMode: { kind: 'cached', variants: 1 },
      seed: 42,
      useCache: true,
      runtime: 'auto',
    });
    expect(config(['--base', 'resnet50']).base).toEqual({ arch: 'resnet50', weights: 'imagenet' });
    expect(config(['--base', 'vgg16', '--optimizer', 'sgd']).optimizer).toEqual({ name: 'sgd', learningRate: 1e-2 });
  });

  it('turns unfrozen blocks into the two-stage recipe: fine-tune epochs default to --epochs, learning rate × 0.1', () => {
    const c = config(['--base', 'mobilenet_v2', '--unfreeze', 'block_15,block_16', '--epochs', '4']);
    expect(c.freeze).toEqual({ kind: 'blocks', blocks: ['block_15', 'block_16'] });
    expect(c.twoStage).toEqual({ fineTuneEpochs: 4, lrFactor: 0.1 });
    const from = config(['--base', 'mobilenet_v2', '--unfreeze-from', 'block_14', '--fine-tune-epochs', '3', '--fine-tune-lr-factor', '0.05']);
    expect(from.freeze).toEqual({ kind: 'from', block: 'block_14' });
    expect(from.twoStage).toEqual({ fineTuneEpochs: 3, lrFactor: 0.05 });
    expect(config(['--base', 'mobilenet_v2', '--unfreeze', 'block_16', '--one-stage']).twoStage).toBeNull();
    expect(config(['--base', 'mobilenet_v2', '--unfreeze', 'all']).freeze).toEqual({ kind: 'all' });
  });

  it('trains every layer in one stage from random weights', () => {
    const c = config(['--base', 'mobilenet_v2', '--weights', 'none', '--input-size', '32']);
    expect(c.base).toEqual({ arch: 'mobilenet_v2', weights: 'none', inputSize: 32 });
    expect(c.freeze).toEqual({ kind: 'all' });
    expect(c.twoStage).toBeNull();
  });

  it('reads the head, schedule, augmentation and the other settings', () => {
    const c = config([
      '--base', 'inception_v3', '--pooling', 'flatten', '--head', 'dropout=0.2,512,gelu,dropout=0.5,128', '--lr', '3e-4', '--optimizer', 'rmsprop',
      '--schedule', 'cosine,warmup=1,min=0.01', '--augment', 'flip,vflip,rotate=10,zoom=0.1,brightness=0.2,contrast=0.1,hue=0.05',
      '--augment-variants', '8', '--class-weights', 'balanced', '--label-smoothing', '0.1', '--early-stop', '3', '--no-cache',
      '--runtime', 'tfjs', '--seed', '7', '--batch-size', '16', '--epochs', '20',
    ]);
    expect(c.head).toEqual({ pooling: 'flatten', dropout: 0.2, layers: [{ units: 512, activation: 'gelu', dropout: 0.5 }, { units: 128 }] });
    expect(c.optimizer).toEqual({ name: 'rmsprop', learningRate: 3e-4 });
    expect(c.schedule).toEqual({ kind: 'cosine', warmupEpochs: 1, minLrFraction: 0.01 });
    expect(c.augment).toEqual({ horizontalFlip: true, verticalFlip: true, rotationDegrees: 10, zoom: 0.1, brightness: 0.2, contrast: 0.1, hue: 0.05 });
    expect(c.augmentMode).toEqual({ kind: 'cached', variants: 8 });
    expect(c).toMatchObject({ classWeights: { kind: 'balanced' }, labelSmoothing: 0.1, useCache: false, runtime: 'tfjs', seed: 7, batchSize: 16, epochs: 20 });
    expect(c.earlyStopping).toEqual({ monitor: 'valLoss', patience: 3, restoreBestWeights: true });
    expect(config(['--base', 'vgg16', '--augment', 'flip']).augmentMode).toEqual({ kind: 'cached', variants: 4 });
    expect(config(['--base', 'vgg16', '--augment', 'flip', '--augment-variants', 'fresh']).augmentMode).toEqual({ kind: 'fresh' });
    expect(config(['--base', 'vgg16', '--schedule', 'step', '--epochs', '9']).schedule).toEqual({ kind: 'step', everyEpochs: 3, factor: 0.1 });
    expect(config(['--base', 'vgg16', '--schedule', 'step,every=2,factor=0.5']).schedule).toEqual({ kind: 'step', everyEpochs: 2, factor: 0.5 });
    expect(config(['--base', 'vgg16', '--schedule', 'one-cycle,pct=0.3']).schedule).toEqual({ kind: 'one-cycle', pctStart: 0.3 });
  });

  it.each([
    [[], /Say which model to use with --base/],
    [['--base', 'alexnet'], /Unknown architecture "alexnet"/],
    [['--base', 'vgg16', '--weights', '/no/such/file.h5'], /Weights file not found/],
    [['--base', 'vgg16', '--epochs', '0'], /--epochs must be a whole number from 1 to 10000; got "0"/],
    [['--base', 'vgg16', '--batch-size', 'lots'], /--batch-size must be a whole number/],
    [['--base', 'vgg16', '--lr', 'fast'], /--lr must be a number; got "fast"/],
    [['--base', 'vgg16', '--lr', '20'], /--lr must be a number from 1e-10 to 10; got "20"/],
    [['--base', 'vgg16', '--optimizer', 'adagrad'], /--optimizer must be one of "adam", "sgd", "rmsprop"/],
    [['--base', 'vgg16', '--pooling', 'mean'], /--pooling must be one of "avg", "max", "flatten"; got "mean"/],
    [['--base', 'vgg16', '--head', '256,dropout=2'], /--head: dropout must be a number from 0 to 0.95/],
    [['--base', 'vgg16', '--head', 'relu,256'], /--head: an activation follows a layer size/],
    [['--base', 'vgg16', '--head', '256,wide'], /--head: "wide" is not a layer size/],
    [['--base', 'vgg16', '--head', '256,,128'], /--head has an empty item/],
    [['--base', 'vgg16', '--unfreeze', 'block5', '--unfreeze-from', 'block4'], /either --unfreeze .* or --unfreeze-from/],
    [['--base', 'vgg16', '--unfreeze', 'all,block5'], /--unfreeze all already trains every block/],
    [['--base', 'vgg16', '--fine-tune-epochs', '3'], /apply when blocks are unfrozen/],
    [['--base', 'vgg16', '--unfreeze', 'block5', '--one-stage', '--fine-tune-epochs', '2'], /--one-stage has no fine-tune stage/],
    [['--base', 'vgg16', '--schedule', 'linear'], /--schedule must be one of "constant", "cosine", "step", "one-cycle"; got "linear"/],
    [['--base', 'vgg16', '--schedule', 'cosine,every=3'], /--schedule: cosine takes warmup=X, min=X; got "every"/],
    [['--base', 'vgg16', '--schedule', 'step,factor=3'], /--schedule: factor must be a number from 0.000001 to 1/],
    [['--base', 'vgg16', '--augment', 'flip=yes'], /--augment: flip takes no value/],
    [['--base', 'vgg16', '--augment', 'rotate'], /--augment: rotate takes a number, e.g. rotate=0.1/],
    [['--base', 'vgg16', '--augment', 'rotate=200'], /--augment: rotate must be a number from 0 to 180/],
    [['--base', 'vgg16', '--augment', 'blur=2'], /--augment: unknown "blur"/],
    [['--base', 'vgg16', '--augment-variants', '4'], /--augment-variants goes with --augment/],
    [['--base', 'vgg16', '--augment', 'flip', '--augment-variants', '100'], /--augment-variants must be a whole number from 1 to 64/],
    [['--base', 'vgg16', '--class-weights', 'manual'], /--class-weights must be one of "none", "balanced"/],
    [['--base', 'vgg16', '--label-smoothing', '0.9'], /--label-smoothing must be a number from 0 to 0.5/],
    [['--base', 'vgg16', '--early-stop', '0'], /--early-stop must be a whole number from 1 to 1000/],
    [['--base', 'vgg16', '--runtime', 'gpu'], /--runtime must be one of "auto", "onnx", "tfjs"/],
    [['--base', 'vgg16', '--seed', '1.5'], /--seed must be a whole number from 0 to 4294967295; got "1.5"/],
    [['--base', 'vgg16', '--input-size', '0'], /--input-size must be a whole number from 1 to 4096/],
    [['--base', 'vgg16', '--start-from', 'run3'], /--start-from takes run:ID \(or run:ID:last\) or model:ID, not "run3"/],
    [['--base', 'vgg16', '--start-from', 'run:3:middle'], /--start-from takes run:ID/],
  ])('refuses %j with what to do', (argv, message) => {
    expect(refusal(argv)).toMatch(message);
  });

  it('continues from a run (its best checkpoint unless :last) or an imported model', () => {
    expect(config(['--base', 'mobilenet_v2', '--start-from', 'run:3']).startFrom).toEqual({ kind: 'run', runId: 3, checkpoint: 'best' });
    expect(config(['--base', 'mobilenet_v2', '--start-from', 'run:3:last']).startFrom).toEqual({ kind: 'run', runId: 3, checkpoint: 'last' });
    expect(config(['--base', 'mobilenet_v2', '--start-from', 'model:2']).startFrom).toEqual({ kind: 'model', modelId: 2 });
    expect(config(['--base', 'mobilenet_v2'])).not.toHaveProperty('startFrom');
  });

  it('names the options given', () => {
    expect(givenTrainingOptions(values(['--base', 'vgg16', '--no-cache', '--lr', '0.1']))).toEqual(['base', 'lr', 'no-cache']);
  });
});
