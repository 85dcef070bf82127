import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { InferenceWeights } from '../../../src-main/api/types/inference';
import type { ArchName } from '../../../src-main/api/types/models';
import type { FreezePlan, TrainingConfig } from '../../../src-main/api/types/runs';
import type { AugmentSpec } from '../../../src-main/api/types/training';
import { useApi } from '../api/use-api';
import { DEFAULT_AUGMENT, defaultTrainingConfig, defaultTwoStage, unfreezesBase } from '../train/training-defaults';

/** Where the draft's settings came from. */
export type DraftSource = 'defaults' | 'last-run';

/**
 * The run being set up in the fine-tune wizard: a TrainingConfig that every step edits.
 * It starts from the project's last run (`training.lastConfig`) or from the defaults, keeps
 * the two-stage recipe in step with the freeze plan, and knows which fields hold text that
 * is not a valid value (so Train waits until they are fixed).
 */
export const useTrainingDraftStore = defineStore('trainingDraft', () => {
  const config = ref<TrainingConfig>(defaultTrainingConfig());
  const source = ref<DraftSource>('defaults');
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  /** Field ids whose text does not parse, with the message shown beside them. */
  const invalidFields = ref<Record<string, string>>({});
  /** The augmentation last switched off, offered again when it is switched back on. */
  let lastAugment: AugmentSpec = { ...DEFAULT_AUGMENT };
  /** The user turned the two-stage recipe off: unfreezing blocks does not turn it back on. */
  let twoStageDeclined = false;
  let loading: Promise<void> | null = null;

  /** Loads the project's last config once (later calls reuse the first answer). */
  function load(): Promise<void> {
    loading ??= (async () => {
      try {
        const last = await useApi().call('training.lastConfig');
        if (last) {
          config.value = last;
          source.value = 'last-run';
          twoStageDeclined = unfreezesBase(last.freeze) && last.twoStage === null;
          if (last.augment) lastAugment = { ...last.augment };
        }
        loadError.value = null;
      } catch (e) {
        loadError.value = `The last run's settings could not be read (${e instanceof Error ? e.message : String(e)}); the defaults are shown.`;
      } finally {
        loaded.value = true;
      }
    })();
    return loading;
  }

  /** Back to the defaults (the last run's settings stay stored in the project). */
  function reset(): void {
    config.value = defaultTrainingConfig();
    source.value = 'defaults';
    invalidFields.value = {};
    twoStageDeclined = false;
    lastAugment = { ...DEFAULT_AUGMENT };
  }

  /**
   * Chooses the base. A new architecture has other blocks, so the freeze plan starts again
   * (head only; everything for random weights, which must train; head only again when
   * pretrained weights replace random ones).
   */
  function setBase(arch: ArchName, weights: InferenceWeights, inputSize: number): void {
    const archChanged = config.value.base.arch !== arch;
    const wasScratch = config.value.base.weights === 'none';
    config.value.base = { arch, weights, inputSize };
    if (weights === 'none') setFreeze({ kind: 'all' });
    else if (archChanged || wasScratch) setFreeze({ kind: 'head-only' });
  }

  /** Sets the freeze plan; unfreezing part of the base switches the two-stage recipe on unless the user turned it off. */
  function setFreeze(plan: FreezePlan): void {
    config.value.freeze = plan;
    if (unfreezesBase(plan) && config.value.twoStage === null && !twoStageDeclined) config.value.twoStage = defaultTwoStage(config.value.epochs);
  }

  /** Sets the epochs; fine-tune epochs that matched them follow along. */
  function setEpochs(epochs: number): void {
    const two = config.value.twoStage;
    if (two && two.fineTuneEpochs === config.value.epochs) two.fineTuneEpochs = epochs;
    config.value.epochs = epochs;
  }

  /** Switches the two-stage recipe on (with its defaults) or off. */
  function setTwoStage(on: boolean): void {
    twoStageDeclined = !on;
    config.value.twoStage = on ? (config.value.twoStage ?? defaultTwoStage(config.value.epochs)) : null;
  }

  /** Switches augmentation on (with the last or default operations) or off. */
  function setAugment(on: boolean): void {
    if (!on && config.value.augment) lastAugment = { ...config.value.augment };
    config.value.augment = on ? (config.value.augment ?? { ...lastAugment }) : null;
  }

  /** Records whether a field's text is valid; Train waits while any is not. */
  function markField(id: string, message: string | null): void {
    const next = { ...invalidFields.value };
    if (message === null) delete next[id];
    else next[id] = message;
    invalidFields.value = next;
  }

  /** The config as plain data for a request (no reactive proxies: Electron's IPC cannot clone them). */
  function snapshot(): TrainingConfig {
    return JSON.parse(JSON.stringify(config.value)) as TrainingConfig;
  }

  const hasInvalidFields = computed(() => Object.keys(invalidFields.value).length > 0);

  return { config, source, loaded, loadError, invalidFields, hasInvalidFields, snapshot, load, reset, setBase, setFreeze, setEpochs, setTwoStage, setAugment, markField };
});
