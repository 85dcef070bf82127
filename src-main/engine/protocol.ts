/**
 * The engine process protocol: plain-data messages tagged with `kind`, requests matched
 * to replies by `id`. Types only; both sides import it.
 */
import type { ApiError } from '../api/errors';
import type { EngineSelfTest } from '../api/contract';
import type { ModelSummary, ModelSummaryParams } from '../api/types/models';
import type { ClassifyParams, ClassifyResult, EmbedParams, EmbedResult } from '../api/types/inference';

/** What the engine reports once its backend is up. */
export interface EngineHello {
  backend: string;
  backendPackage: string;
  tfjsVersion: string;
  /** Each backend tried, in order, with why it was not used. */
  tried: { pkg: string; error: string }[];
}

/** Every engine request: name → params and result. */
export interface EngineRequests {
  selfTest: { params: { size: number; iterations: number }; result: EngineSelfTest };
  classify: { params: ClassifyParams; result: ClassifyResult };
  embed: { params: EmbedParams; result: EmbedResult };
  modelSummary: { params: ModelSummaryParams; result: ModelSummary };
}

/** An engine request name. */
export type EngineRequestName = keyof EngineRequests;

/** Messages sent to the engine. */
export type ToEngine =
  | { kind: 'request'; id: number; name: EngineRequestName; params: unknown }
  | { kind: 'cancel'; id: number }
  | { kind: 'shutdown' };

/** Progress of one request, in whatever units it counts. */
export interface EngineProgress {
  done: number;
  total: number;
  message: string;
}

/** Messages sent by the engine. */
export type FromEngine =
  | { kind: 'ready'; hello: EngineHello }
  | { kind: 'fatal'; error: string }
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: ApiError }
  | { kind: 'progress'; id: number; progress: EngineProgress };
