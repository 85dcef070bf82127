import type { OrtSessionOptions } from '../ort-session';

/** A request to the ONNX Runtime thread; `id` pairs it with its reply. */
export type OrtThreadRequest =
  | { op: 'open'; id: number; model: string | Uint8Array; options: OrtSessionOptions }
  | { op: 'run'; id: number; session: number; input: Float32Array; dims: number[] }
  | { op: 'close'; id: number; session: number };

/** A request before it is numbered: each kind of request without its `id`. */
export type OrtThreadCall = OrtThreadRequest extends infer R ? (R extends OrtThreadRequest ? Omit<R, 'id'> : never) : never;

/** What an opened session looks like from outside. */
export interface OpenedSession {
  session: number;
  inputName: string;
  outputNames: string[];
}

/** An error crossing the thread: its message, and the GraftError code when it had one. */
export interface ThreadError {
  message: string;
  code?: string;
  details?: Record<string, unknown>;
}

/** The thread's reply to request `id`. */
export type OrtThreadReply =
  | { id: number; ok: true; result: OpenedSession | Float32Array[] | null }
  | { id: number; ok: false; error: ThreadError };
