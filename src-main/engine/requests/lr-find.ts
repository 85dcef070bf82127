import type { LrFinderResult } from '../../api/types/runs';
import type { EngineLrFindParams } from '../protocol';
import { classWeights } from '../training/class-weights';
import { selectStepper, type SelectedStepper } from '../onnx/train/select-stepper';
import { initialLrFinder, lrFinderRates, lrFinderRecord, suggestLearningRates } from '../training/lr-finder';
import { createOptimizer, disposeOptimizer, setLearningRate } from '../training/optimizers';
import { createRng, deriveSeed } from '../training/rng';
import { planStages } from '../training/run-stages';
import { prepareStage } from '../training/stage-setup';
import { buildTrainingBase } from '../training/training-base';
import { buildTrainingModel } from '../training/training-model';
import { startRunFrom } from '../training/start-from';
import { installTrainingKernels } from '../training/wasm-gradients';
import type { EngineContext } from '../worker/engine-context';

/**
 * The engine's `lrFind` request, fastai's LR range test: the run's first stage set up as it
 * would train (the activation cache filled, so the run that follows starts warm), then one
 * batch per step at learning rates growing from `minLr` to `maxLr`, until the smoothed loss
 * diverges. Returns the loss-vs-rate curve and the suggested rates; the model is thrown away.
 */
export async function runLrFind(params: EngineLrFindParams, ctx: EngineContext<'lrFind'>): Promise<LrFinderResult> {
  const { tf } = ctx;
  const { config, dataset, finder } = params;
  // Gradient kernels the wasm backend lacks (and faster ones for cpu); idempotent.
  installTrainingKernels(tf);
  const base = await buildTrainingBase(tf, config.base, { signal: ctx.signal, weightsCacheDir: params.weightsCacheDir });
  const model = buildTrainingModel(tf, base.model, config.head, dataset.classes.length, config.seed);
  const rates = lrFinderRates(finder);
  try {
    if (params.init) await startRunFrom(tf, model, params.init, config, dataset.classes);
    const stage = planStages(config)[0]!;
    const prepared = await prepareStage(
      { tf, config, dataset, weightsIdentity: base.weightsIdentity, activationCacheDir: params.activationCacheDir, emit: () => undefined, checkpoint: ctx.checkpoint },
      model,
      stage,
      config.base.arch,
    );
    const optimizer = createOptimizer(tf, { ...config.optimizer, learningRate: rates[0]! });
    let stepper: SelectedStepper | null = null;
    try {
      const { train } = prepared.data;
      const counts = new Array<number>(dataset.classes.length).fill(0);
      for (const example of train) counts[example.label]! += 1;
      // The same steps as the run would take: on ONNX Runtime where the trainable part has its gradients there.
      stepper = await selectStepper(tf, prepared.cut, optimizer, {
        choice: config.runtime,
        seed: config.seed,
        classWeights: classWeights(config.classWeights, counts, dataset.classes),
        output: config.head.output ?? 'softmax',
        labelSmoothing: config.labelSmoothing,
      });
      let state = initialLrFinder();
      let order: number[] = [];
      for (let step = 0; step < rates.length; step++) {
        await ctx.checkpoint();
        if (order.length < config.batchSize) order = [...order, ...createRng(deriveSeed(config.seed, 'lr-find', step)).shuffle([...train.keys()])];
        const rows = order.splice(0, Math.min(config.batchSize, train.length)).map((i) => train[i]!);
        const inputs = await prepared.data.read(rows.map((r) => ({ key: r.key, variant: 0 })));
        setLearningRate(optimizer, rates[step]!);
        const { loss } = await stepper.stepper.train(inputs, rows.map((r) => r.label), step);
        const recorded = lrFinderRecord(finder, state, rates[step]!, loss);
        state = recorded.state;
        ctx.emit({ done: step + 1, total: rates.length, message: `Learning rate ${rates[step]!.toExponential(1)}: loss ${loss.toFixed(4)}` });
        if (recorded.stop) break;
      }
      return { points: state.points, suggestion: suggestLearningRates(state.points) };
    } finally {
      await stepper?.dispose();
      disposeOptimizer(optimizer);
      prepared.dispose();
    }
  } finally {
    model.dispose();
  }
}
