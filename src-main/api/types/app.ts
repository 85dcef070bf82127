/** Plain-data types of the app itself: host, project, engine status. */

/** Which host runs the main-side services. */
export type HostMode = 'electron' | 'serve';

/** What the renderer needs to know about the host on start. */
export interface AppInfo {
  version: string;
  mode: HostMode;
  /** True where a native folder picker exists (Electron). */
  canPickFolder: boolean;
}

/** The project that is open, if any. */
export interface ProjectInfo {
  dir: string;
  name: string;
  schemaVersion: number;
  createdAt: string;
}

/** The tfjs backends the engine can run on: native TensorFlow (CUDA or CPU), WebAssembly, or pure JavaScript. */
export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** ONNX Runtime execution providers Graft can use. */
export type OnnxProvider = 'cpu' | 'cuda';

/**
 * Whether the engine can run frozen forward passes on ONNX Runtime: its version and the
 * providers that work here (and why a listed one does not), or why it cannot be used at all.
 */
export type OnnxRuntimeInfo =
  | { available: true; version: string; providers: OnnxProvider[]; unavailable: { provider: string; error: string }[] }
  | { available: false; error: string };

/** The engine process as the UI shows it. */
export type EngineState = 'starting' | 'ready' | 'busy' | 'crashed' | 'stopped';

/** Engine status, pushed whenever it changes. */
export interface EngineStatus {
  state: EngineState;
  /** tfjs backend in use; null before ready. */
  backend: TfBackendName | null;
  /** Which package supplied the backend, e.g. '@tensorflow/tfjs-node-gpu'. */
  backendPackage: string | null;
  tfjsVersion: string | null;
  /** ONNX Runtime as the engine found it at start; null before ready. */
  onnx: OnnxRuntimeInfo | null;
  /** Why the engine last stopped, when it crashed. */
  lastError: string | null;
  restarts: number;
}
