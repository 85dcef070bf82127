/** Parameter parsers of the engine's requests that train: `train` and `lrFind` (with the model a run starts from). */
import { bool, object, optional, str, type Parser } from '../../base/parse';
import type { RunInit } from '../types/predict';
import { engineModelSource } from './predict-params';
import { classList, datasetSnapshot, lrFinderSpec, runPaths, trainingConfig } from './training-params';

/** The trained model a run starts from, resolved. */
export const runInit: Parser<RunInit> = object({ source: engineModelSource, classes: classList, label: str({ nonEmpty: true, maxLength: 1000 }) });

/** The engine's `train`. */
export const engineTrainParams = object({ ...runPaths, config: trainingConfig, dataset: datasetSnapshot, resume: bool, init: optional(runInit) });

/** The engine's `lrFind`. */
export const engineLrFindParams = object({ ...runPaths, config: trainingConfig, dataset: datasetSnapshot, finder: lrFinderSpec, init: optional(runInit) });
