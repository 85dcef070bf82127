import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { InferenceWeights } from '../../../src-main/api/types/inference';
import type { ArchName } from '../../../src-main/api/types/models';
import type { FreezePlan, StartFrom, TrainingConfig } from '../../../src-main/api/types/runs';
import type { AugmentSpec } from '../../../src-main/api/types/training';
import { useApi } from '../api/use-api';
import { forgetProjectValue, readProjectValue, writeProjectValue } from './project-storage';
import { useAppStore } from './useAppStore';
import { DEFAULT_AUGMENT, defaultTrainingConfig, defaultTwoStage, unfreezesBase } from '../train/training-defaults';

/** Where the draft's settings came from: the defaults, the last run, or edits kept from an earlier visit. */
export type DraftSource = 'defaults' | 'last-run' | 'saved-draft';

/** True when `value` is an object with the template's top-level fields, and `base` with its fields. */
function sameShape(value: unknown, template: TrainingConfig): boolean {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value) || !isObject(value['base']) || !isObject(value['head']) || !isObject(value['optimizer'])) return false;
  const keys = (v: Record<string, unknown>) =>
    Object.keys(v)
      .filter((k) => k !== 'startFrom')
      .sort()
      .join();
  return keys(value) === keys(template as unknown as Record<string, unknown>) && typeof value['base']['arch'] === 'string' && typeof value['epochs'] === 'number';
}

/** The name the draft is kept under in the project's browser storage until a run starts. */
const DRAFT_KEY = 'training-draft';

/**
 * The run being set up in the fine-tune wizard: a TrainingConfig that every step edits.
 * It starts from edits kept from an earlier visit (until a run starts, so a reload loses
 * nothing), else the project's last run (`training.lastConfig`), else the defaults; keeps
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

  /** The project the draft belongs to (null before one is open, as in component tests). */
  const projectDir = () => useAppStore().project?.dir ?? null;

  /** Edits kept from an earlier visit, when they still read as a valid config. */
  function savedDraft(): TrainingConfig | null {
    const dir = projectDir();
    const saved = dir ? readProjectValue(dir, DRAFT_KEY) : null;
    // The same fields as today's config (one from an older version, or edited by hand, is dropped);
    // the values themselves are checked by the main side when the run starts.
    return sameShape(saved, defaultTrainingConfig()) ? (saved as TrainingConfig) : null;
  }

  /** The config as last loaded or reset, as JSON: a draft equal to it is not an edit worth keeping. */
  let baseline = JSON.stringify(config.value);

  function adopt(next: TrainingConfig, from: DraftSource): void {
    config.value = next;
    baseline = from === 'saved-draft' ? '' : JSON.stringify(next);
    source.value = from;
    twoStageDeclined = unfreezesBase(next.freeze) && next.twoStage === null;
    if (next.augment) lastAugment = { ...next.augment };
  }

  /** Loads the kept draft or the project's last config once (later calls reuse the first answer). */
  function load(): Promise<void> {
    loading ??= (async () => {
      try {
        const saved = savedDraft();
        if (saved) adopt(saved, 'saved-draft');
        else {
          const last = await useApi().call('training.lastConfig');
          if (last) adopt(last, 'last-run');
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

  // Every edit after loading is kept, so a reload or a visit to another page loses nothing.
  watch(
    config,
    (value) => {
      const dir = projectDir();
      if (!loaded.value || !dir) return;
      const text = JSON.stringify(value);
      if (text === baseline) forgetProjectValue(dir, DRAFT_KEY);
      else writeProjectValue(dir, DRAFT_KEY, value);
    },
    { deep: true },
  );

  /** A run started from the draft: the next visit starts from that run's settings, not from the kept edits. */
  function forgetSaved(): void {
    const dir = projectDir();
    if (dir) forgetProjectValue(dir, DRAFT_KEY);
  }

  /** Goes back to the last run's settings (the kept edits are dropped). */
  async function useLastRun(): Promise<void> {
    forgetSaved();
    const last = await useApi().call('training.lastConfig');
    if (last) adopt(last, 'last-run');
    else reset();
  }

  /** Back to the defaults (the last run's settings stay stored in the project). */
  function reset(): void {
    forgetSaved();
    config.value = defaultTrainingConfig();
    baseline = JSON.stringify(config.value);
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
    // A trained model carries over only onto its own architecture.
    if (archChanged) delete config.value.startFrom;
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

  /**
   * Starts the run from a trained model, or (null) from the base's own weights. A run's
   * config, when given, brings its base and head along: the weights carry over only onto
   * the same layers, fed the same way.
   */
  function setStartFrom(start: StartFrom | null, from?: TrainingConfig): void {
    if (from) {
      setBase(from.base.arch, from.base.weights, from.base.inputSize ?? config.value.base.inputSize ?? 224);
      config.value.head = JSON.parse(JSON.stringify(from.head)) as TrainingConfig['head'];
    }
    if (start) config.value.startFrom = start;
    else delete config.value.startFrom;
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

  return { config, source, loaded, loadError, invalidFields, hasInvalidFields, snapshot, load, reset, useLastRun, forgetSaved, setBase, setStartFrom, setFreeze, setEpochs, setTwoStage, setAugment, markField };
});
