import fs from 'node:fs';
import path from 'node:path';
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import type { SplitEvaluation, TrainResult } from '../../api/types/runs';
import type { BatchRecord, EpochRecord } from '../../api/types/training';
import { machineThreads } from '../onnx/ort-session';
import { createFrozenForward } from '../onnx/select-frozen-forward';
import type { EngineTrainParams } from '../protocol';
import { checkpointFolder, copyCheckpoint, loadCheckpoint, snapshotCheckpoint, writeCheckpoint } from '../training/checkpoint';
import { classWeights } from '../training/class-weights';
import { evaluateModel } from '../training/evaluate-model';
import { initialEarlyStopping } from '../training/early-stopping';
import { fitSuffix, type LoopState } from '../training/fit-loop';
import { explainTrainingError } from '../training/training-errors';
import { selectStepper, type SelectedStepper } from '../onnx/train/select-stepper';
import { adoptCheckpointWeights, evaluateFromCache } from '../training/evaluate-cached';
import { createOptimizer, disposeOptimizer } from '../training/optimizers';
import { planStages, totalEpochs } from '../training/run-stages';
import { prepareStage, type PreparedStage } from '../training/stage-setup';
import { buildTrainingBase, inputSizeOf, scalingOf } from '../training/training-base';
import { buildTrainingModel, trains } from '../training/training-model';
import { startRunFrom } from '../training/start-from';
import { installTrainingKernels } from '../training/wasm-gradients';
import type { EngineContext } from '../worker/engine-context';

/** Saved in a checkpoint's state so a resumed run continues where it was. */
interface ResumeState {
  stageIndex: number;
  loop: LoopState;
  history: EpochRecord[];
}

/**
 * The engine's `train` request: builds base + head, then for each stage (head, then
 * fine-tune with the two-stage recipe) applies the freeze plan, computes the frozen prefix
 * once per image and variant into the activation cache (on ONNX Runtime where it loads),
 * trains the suffix on the cached activations, writes the last and best checkpoints every
 * epoch, and finally evaluates the best checkpoint on the validation and test splits.
 */
export async function runTrain(params: EngineTrainParams, ctx: EngineContext<'train'>): Promise<TrainResult> {
  try {
    return await train(params, ctx);
  } catch (error) {
    throw explainTrainingError(error, params.config);
  }
}

async function train(params: EngineTrainParams, ctx: EngineContext<'train'>): Promise<TrainResult> {
  const { tf } = ctx;
  // Gradient kernels the wasm backend lacks (and faster ones for cpu); idempotent.
  installTrainingKernels(tf);
  const started = performance.now();
  const { config, dataset } = params;
  const classes = dataset.classes.length;
  const stages = planStages(config);
  const epochsInAll = totalEpochs(stages);
  ctx.emit({ type: 'phase', phase: 'building', stage: null, epochs: epochsInAll, message: 'Building the model and loading its weights…' });

  let model: LayersModel;
  let weightsIdentity: string;
  let resume: ResumeState | null = null;
  let resumeOptimizer: Awaited<ReturnType<typeof loadCheckpoint>>['optimizerVariables'] = [];
  if (params.resume) {
    const checkpoint = await loadCheckpoint(tf, params.runDir, 'last', { optimizer: true });
    model = checkpoint.model;
    resume = checkpoint.state.loop as ResumeState;
    resumeOptimizer = checkpoint.optimizerVariables;
    weightsIdentity = `checkpoint:${params.runDir}:${checkpoint.state.epoch}`;
  } else {
    const base = await buildTrainingBase(tf, config.base, { signal: ctx.signal, weightsCacheDir: params.weightsCacheDir });
    weightsIdentity = base.weightsIdentity;
    model = buildTrainingModel(tf, base.model, config.head, classes, config.seed);
    if (params.init) {
      try {
        const started = await startRunFrom(tf, model, params.init, config, dataset.classes);
        ctx.emit({ type: 'phase', phase: 'building', stage: null, epochs: epochsInAll, message: started.message });
      } catch (error) {
        model.dispose();
        throw error;
      }
      weightsIdentity += `+${params.init.label}`;
    }
  }

  const counts = new Array<number>(classes).fill(0);
  for (const image of dataset.images) if (image.split === 'train') counts[image.label]! += 1;
  const weights = classWeights(config.classWeights, counts, dataset.classes);
  const history: EpochRecord[] = resume?.history ?? [];
  const batches: BatchRecord[] = [];
  let loop: LoopState | undefined = resume?.loop;
  let stoppedEarly = false;
  let runtime: 'onnx' | 'tfjs' = 'tfjs';
  let stepRuntime: 'onnx' | 'tfjs' = 'tfjs';
  let lastCheckpoint: string | null = null;
  let bestCheckpoint: string | null = null;
  const cache = { hits: 0, misses: 0, bytes: 0 };
  const stageContext = { tf, config, dataset, weightsIdentity, activationCacheDir: params.activationCacheDir, emit: ctx.emit, checkpoint: ctx.checkpoint };
  // The last stage, kept open when it trained from the cache: the evaluation reuses its cached prefix outputs.
  let lastStage: { prepared: PreparedStage; stepper: SelectedStepper; optimizer: Optimizer } | null = null;
  let evaluations: SplitEvaluation[] | null = null;
  // The checkpoint being written in the background, if any.
  let saving: Promise<void> = Promise.resolve();
  // The checkpoint evaluated at the end: the best one (this process's or an earlier one's), else the last.
  const chosenCheckpoint = (): 'best' | 'last' => (bestCheckpoint || hasCheckpoint(params.runDir, 'best') ? 'best' : 'last');

  try {
    for (let s = resume?.stageIndex ?? 0; s < stages.length; s++) {
      const stage = stages[s]!;
      const firstEpoch = stages.slice(0, s).reduce((n, x) => n + x.epochs, 0);
      if (loop && loop.epoch >= firstEpoch + stage.epochs) continue;
      await ctx.checkpoint();
      const prepared = await prepareStage(stageContext, model, stage, config.base.arch);
      runtime = prepared.runtime ?? 'tfjs';
      const optimizer = createOptimizer(tf, { ...config.optimizer, learningRate: stage.learningRate });
      let stepper: SelectedStepper | null = null;
      try {
        if (resumeOptimizer.length > 0 && resume?.stageIndex === s) await optimizer.setWeights(resumeOptimizer);
        stepper = await selectStepper(tf, prepared.cut, optimizer, {
          choice: config.runtime,
          seed: config.seed,
          classWeights: weights,
          labelSmoothing: config.labelSmoothing,
          output: config.head.output ?? 'softmax',
        });
        stepRuntime = stepper.stepper.runtime;
        const on = stepRuntime === 'onnx' ? 'on ONNX Runtime' : `on tfjs (${ctx.backend})${stepper.fallbackReason ? `: ${stepper.fallbackReason}` : ''}`;
        ctx.emit({
          type: 'phase',
          phase: 'training',
          stage: stage.stage,
          runtime: runtime,
          stepRuntime,
          message: `${stage.stage === 'head' ? 'Training the head' : 'Fine-tuning the unfrozen blocks'} ${on}…`,
        });
        const outcome = await fitSuffix(
          tf,
          prepared.cut.suffix,
          optimizer,
          prepared.data,
          {
            stage: stage.stage,
            firstEpoch,
            epochs: stage.epochs,
            totalEpochs: epochsInAll,
            batchSize: config.batchSize,
            seed: config.seed,
            baseLr: stage.learningRate,
            schedule: config.schedule,
            labelSmoothing: config.labelSmoothing,
            classWeights: weights,
            classes,
            earlyStopping: config.earlyStopping,
            fromLogits: prepared.cut.fromLogits,
            asLogits: prepared.cut.asLogits,
            output: config.head.output ?? 'softmax',
            stepper: stepper.stepper,
            // Early stopping counts within a stage; the best checkpoint is the best of the whole run.
            state: loop ? { ...loop, early: s === resume?.stageIndex ? loop.early : initialEarlyStopping() } : undefined,
          },
          {
            checkpoint: ctx.checkpoint,
            onBatch: (record, count, perSecond, eta) => {
              batches.push(record);
              ctx.emit({ type: 'batch', stage: stage.stage, record, batches: count, imagesPerSecond: perSecond, etaSeconds: eta });
            },
            onEpoch: async (record, best, state) => {
              history.push(record);
              ctx.emit({ type: 'epoch', stage: stage.stage, record, epochs: epochsInAll, best });
              const saved = { epoch: state.epoch, stage: stage.stage, loop: { stageIndex: s, loop: state, history } satisfies ResumeState };
              // Read out now, written while the next epoch trains (one write at a time, in order).
              await saving;
              const snapshot = await snapshotCheckpoint(tf, model, optimizer, saved);
              saving = (async () => {
                lastCheckpoint = await writeCheckpoint(params.runDir, 'last', snapshot);
                ctx.emit({ type: 'checkpoint', which: 'last', epoch: record.epoch });
                if (best) {
                  bestCheckpoint = await copyCheckpoint(params.runDir, 'last', 'best');
                  ctx.emit({ type: 'checkpoint', which: 'best', epoch: record.epoch });
                }
              })();
              // Awaited before the next snapshot and when the stage ends; a failure surfaces there.
              saving.catch(() => undefined);
            },
          },
        );
        await saving;
        loop = outcome.state;
        stoppedEarly = stoppedEarly || outcome.stoppedEarly;
        if (prepared.stats) {
          cache.hits += prepared.stats.hits;
          cache.misses += prepared.stats.misses;
          cache.bytes += prepared.stats.bytes;
        }
        if (s === stages.length - 1 && prepared.cached && prepared.cut.fromLogits) lastStage = { prepared, stepper, optimizer };
      } finally {
        // A cancelled or failed stage still finishes writing its last checkpoint (what a resume starts from).
        await saving.catch(() => undefined);
        for (const v of resumeOptimizer) v.tensor.dispose();
        resumeOptimizer = [];
        if (lastStage?.prepared !== prepared) {
          await stepper?.dispose();
          disposeOptimizer(optimizer);
          prepared.dispose();
        }
      }
    }
    if (lastStage) {
      const which = chosenCheckpoint();
      const { prepared, stepper } = lastStage;
      const training = new Set(prepared.cut.suffix.layers.filter(trains).map((l) => l.name));
      if (await adoptCheckpointWeights(tf, model, params.runDir, which, training)) {
        ctx.emit({ type: 'phase', phase: 'evaluating', stage: null, message: `Evaluating the ${which} checkpoint on the cached activations…` });
        evaluations = await evaluateFromCache(
          prepared.data,
          stepper.stepper,
          { checkpoint: which, classes, batchSize: config.batchSize, images: dataset.images, unreadable: new Set(prepared.unreadable.map((u) => u.path)) },
          { checkpoint: ctx.checkpoint },
        );
      }
    }
  } finally {
    if (lastStage) {
      await lastStage.stepper.dispose();
      disposeOptimizer(lastStage.optimizer);
      lastStage.prepared.dispose();
    }
    model.dispose();
  }

  if (!evaluations) {
    const which = chosenCheckpoint();
    ctx.emit({ type: 'phase', phase: 'evaluating', stage: null, message: `Evaluating the ${which} checkpoint…` });
    evaluations = await evaluateSplits(params, ctx, which);
  }
  const best = loop?.best ?? null;
  return {
    status: stoppedEarly ? 'stopped-early' : 'completed',
    history,
    batches,
    best: best ? { epoch: best.epoch, valAcc: best.valAcc, valLoss: best.valLoss } : null,
    checkpoints: { best: bestCheckpoint ?? (hasCheckpoint(params.runDir, 'best') ? checkpointFolder('best') : null), last: lastCheckpoint },
    cache,
    backend: ctx.backend,
    runtime,
    stepRuntime,
    seconds: (performance.now() - started) / 1000,
    evaluations,
  };
}

/** Evaluates a checkpoint on the run's validation and test images (the splits that have any). */
async function evaluateSplits(params: EngineTrainParams, ctx: EngineContext<'train'>, which: 'best' | 'last'): Promise<SplitEvaluation[]> {
  const { tf } = ctx;
  const { model } = await loadCheckpoint(tf, params.runDir, which);
  try {
    const { forward } = await createFrozenForward(tf, model, { choice: params.config.runtime, threads: machineThreads() });
    try {
      const out: SplitEvaluation[] = [];
      for (const split of ['validation', 'test'] as const) {
        const images = params.dataset.images.filter((i) => i.split === split);
        if (images.length === 0) continue;
        out.push(
          await evaluateModel(
            forward,
            images,
            {
              split,
              checkpoint: which,
              classes: params.dataset.classes.length,
              inputSize: inputSizeOf(params.config.base),
              scaling: scalingOf(params.config.base),
              batchSize: params.config.batchSize,
            },
            { checkpoint: ctx.checkpoint },
          ),
        );
      }
      return out;
    } finally {
      forward.dispose();
    }
  } finally {
    model.dispose();
  }
}

/** True when a checkpoint of that name is on disk (a resumed run may have written it in an earlier process). */
function hasCheckpoint(runDir: string, which: 'best' | 'last'): boolean {
  return fs.existsSync(path.join(runDir, checkpointFolder(which), 'model.json'));
}
