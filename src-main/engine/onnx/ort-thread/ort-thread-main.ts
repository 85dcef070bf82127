/**
 * The ONNX Runtime thread: a worker that holds sessions and runs them, so a forward pass never
 * blocks the engine's own thread (onnxruntime-node runs a session on the thread that calls it).
 * Built as its own entry (out/main/ort-thread.js); see ort-thread.ts for the other side.
 */
import { parentPort } from 'node:worker_threads';
import { GraftError } from '../../../api/errors';
import { onnxRuntimeOnce } from '../ort-loader';
import { openOrtSession, type OrtSession } from '../ort-session';
import type { OrtThreadReply, OrtThreadRequest, ThreadError } from './ort-thread-protocol';

const port = parentPort;
if (!port) throw new Error('ort-thread-main runs as a worker thread.');

const sessions = new Map<number, OrtSession>();
let nextSession = 1;

function asThreadError(error: unknown): ThreadError {
  if (error instanceof GraftError) return { message: error.message, code: error.code, details: error.details };
  return { message: error instanceof Error ? error.message : String(error) };
}

function sessionOf(id: number): OrtSession {
  const session = sessions.get(id);
  if (!session) throw new Error(`ONNX Runtime session ${id} is not open.`);
  return session;
}

async function handle(request: OrtThreadRequest): Promise<{ reply: OrtThreadReply; transfer: ArrayBuffer[] }> {
  switch (request.op) {
    case 'open': {
      const status = await onnxRuntimeOnce();
      if (!status.available) throw new GraftError('engine-unavailable', status.error);
      const session = await openOrtSession(status.runtime, request.model, request.options);
      const id = nextSession++;
      sessions.set(id, session);
      return { reply: { id: request.id, ok: true, result: { session: id, inputName: session.inputName, outputNames: session.outputNames } }, transfer: [] };
    }
    case 'run': {
      const outputs = await sessionOf(request.session).run(request.input, request.dims);
      // Outputs are fresh arrays ONNX Runtime made for this run: move them, do not copy.
      const copies = outputs.map((o) => (o.byteOffset === 0 && o.byteLength === o.buffer.byteLength ? o : o.slice()));
      return { reply: { id: request.id, ok: true, result: copies }, transfer: copies.map((o) => o.buffer as ArrayBuffer) };
    }
    case 'close': {
      const session = sessions.get(request.session);
      sessions.delete(request.session);
      await session?.dispose();
      return { reply: { id: request.id, ok: true, result: null }, transfer: [] };
    }
  }
}

// One request at a time, in the order sent: a session is never closed while a run of it waits
// for its turn (onnxruntime-node starts a run on the next turn of this thread's event loop).
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: OrtThreadRequest) => {
  queue = queue.then(() =>
    handle(request).then(
      ({ reply, transfer }) => port.postMessage(reply, transfer),
      (error: unknown) => port.postMessage({ id: request.id, ok: false, error: asThreadError(error) } satisfies OrtThreadReply),
    ),
  );
});
