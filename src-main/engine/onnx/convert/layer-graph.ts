import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { GraftError } from '../../../api/errors';

/** A tfjs-layers layer (the type tfjs does not export under its own name). */
export type Layer = SymbolicTensor['sourceLayer'];

/** A tensor of the flattened graph: nested models are inlined, so one tensor may appear in several scopes. */
export interface TensorRef {
  tensor: SymbolicTensor;
  scope: number;
  key: string;
}

/** One call of a layer (a tfjs `Node`) in the flattened graph. */
export interface LayerCall {
  key: string;
  layer: Layer;
  inputs: TensorRef[];
  outputs: TensorRef[];
}

/** The part of a model needed for some outputs, in an order where producers come before consumers. */
export interface LayerGraph {
  input: TensorRef;
  calls: LayerCall[];
  outputs: { name: string; ref: TensorRef }[];
  /** Calls that read each tensor (by key), within this prefix only. */
  consumers: Map<string, LayerCall[]>;
}

interface Scope {
  bindings: Map<number, TensorRef>;
}

/**
 * Flattens a LayersModel (nested models inlined) into the calls needed for `outputNames`
 * (layer names; default: the model's own outputs). Only the prefix that feeds those outputs
 * is kept, which is how a model is cut at a layer.
 */
export function layerGraph(model: LayersModel, outputNames?: readonly string[]): LayerGraph {
  const walker = new Walker();
  const modelOutputs = model.outputs.map((t) => walker.resolve(walker.ref(t, 0)));
  let outputs: { name: string; ref: TensorRef }[];
  if (outputNames && outputNames.length > 0) {
    walker.walk(modelOutputs);
    outputs = outputNames.map((name) => ({ name, ref: walker.findOutput(name, model.name) }));
  } else {
    outputs = modelOutputs.map((ref) => ({ name: ref.tensor.sourceLayer.name, ref }));
  }
  const prefix = new Walker(walker);
  const { calls, inputs } = prefix.walk(outputs.map((o) => o.ref));
  if (inputs.length !== 1) {
    throw new GraftError(
      'bad-request',
      `Model "${model.name}" must have exactly one image input for these outputs to be converted to ONNX; it has ${inputs.length}.`,
    );
  }
  const consumers = new Map<string, LayerCall[]>();
  for (const call of calls) {
    for (const input of call.inputs) {
      const list = consumers.get(input.key) ?? [];
      if (!list.includes(call)) list.push(call);
      consumers.set(input.key, list);
    }
  }
  return { input: inputs[0]!, calls, outputs, consumers };
}

/** True for a model used as a layer (functional or sequential), whose own layers are inlined. */
function isContainer(layer: Layer): layer is Layer & LayersModel {
  const record = layer as unknown as { layers?: unknown; outputs?: unknown; inputs?: unknown };
  return Array.isArray(record.layers) && Array.isArray(record.outputs) && Array.isArray(record.inputs);
}

class Walker {
  private readonly scopes: Scope[];
  private readonly scopeIds: Map<string, number>;
  private readonly callsByKey = new Map<string, LayerCall>();
  /** Names of inlined models, so a cut can name a whole nested model. */
  private readonly containerOutputs: Map<string, TensorRef[]>;
  private visited: LayerCall[] = [];

  constructor(shared?: Walker) {
    this.scopes = shared?.scopes ?? [{ bindings: new Map() }];
    this.scopeIds = shared?.scopeIds ?? new Map();
    this.containerOutputs = shared?.containerOutputs ?? new Map();
  }

  ref(tensor: SymbolicTensor, scope: number): TensorRef {
    return { tensor, scope, key: `${scope}:${tensor.id}` };
  }

  /** Follows a tensor through nested-model boundaries to the plain layer call (or input) that makes it. */
  resolve(start: TensorRef): TensorRef {
    let ref = start;
    for (;;) {
      const layer = ref.tensor.sourceLayer;
      if (isContainer(layer)) {
        const scope = this.nestedScope(ref);
        const inner = layer.outputs[ref.tensor.tensorIndex];
        if (!inner) throw new Error(`Nested model "${layer.name}" has no output ${ref.tensor.tensorIndex}.`);
        const resolved = this.resolve(this.ref(inner, scope));
        const list = this.containerOutputs.get(layer.name) ?? [];
        if (!list.some((r) => r.key === resolved.key)) list.push(resolved);
        this.containerOutputs.set(layer.name, list);
        ref = resolved;
        continue;
      }
      const bound = this.scopes[ref.scope]?.bindings.get(ref.tensor.id);
      if (bound && layer.getClassName() === 'InputLayer') {
        ref = bound;
        continue;
      }
      return ref;
    }
  }

  /** Depth-first from `roots`: every call they need, producers first, and the graph inputs reached. */
  walk(roots: TensorRef[]): { calls: LayerCall[]; inputs: TensorRef[] } {
    const state = new Map<string, 'open' | 'done'>();
    const inputs = new Map<string, TensorRef>();
    const order: LayerCall[] = [];
    const stack: { call: LayerCall; next: number }[] = [];
    const enter = (ref: TensorRef): void => {
      if (ref.tensor.sourceLayer.getClassName() === 'InputLayer') {
        inputs.set(ref.key, ref);
        return;
      }
      const call = this.callOf(ref);
      if (state.get(call.key) === 'open') throw new Error(`The model graph has a cycle at layer "${call.layer.name}".`);
      if (state.has(call.key)) return;
      state.set(call.key, 'open');
      stack.push({ call, next: 0 });
    };
    for (const root of roots) {
      enter(root);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const input = top.call.inputs[top.next++];
        if (input) {
          enter(input);
          continue;
        }
        stack.pop();
        state.set(top.call.key, 'done');
        order.push(top.call);
      }
    }
    this.visited = order;
    return { calls: order, inputs: [...inputs.values()] };
  }

  /** The tensor a requested output name stands for: a layer's (single) call, or a nested model's output. */
  findOutput(name: string, modelName: string): TensorRef {
    const calls = this.visited.filter((call) => call.layer.name === name);
    if (calls.length > 1) {
      throw new GraftError('bad-request', `Layer "${name}" is used ${calls.length} times in model "${modelName}"; its output is ambiguous as a cut.`);
    }
    const call = calls[0];
    if (call) {
      if (call.outputs.length !== 1) throw new GraftError('bad-request', `Layer "${name}" has ${call.outputs.length} outputs; a cut needs a layer with one.`);
      return call.outputs[0]!;
    }
    const nested = this.containerOutputs.get(name);
    if (nested?.length === 1) return nested[0]!;
    throw new GraftError('not-found', `Model "${modelName}" has no layer named "${name}" to take outputs from.`);
  }

  private callOf(ref: TensorRef): LayerCall {
    const layer = ref.tensor.sourceLayer;
    const key = `${ref.scope}:${layer.id}:${ref.tensor.nodeIndex}`;
    const known = this.callsByKey.get(key);
    if (known) return known;
    const node = layer.inboundNodes[ref.tensor.nodeIndex];
    if (!node) throw new Error(`Layer "${layer.name}" has no call ${ref.tensor.nodeIndex}.`);
    const call: LayerCall = {
      key,
      layer,
      inputs: node.inputTensors.map((t) => this.resolve(this.ref(t, ref.scope))),
      outputs: node.outputTensors.map((t) => this.ref(t, ref.scope)),
    };
    this.callsByKey.set(key, call);
    return call;
  }

  /** The scope of one call of a nested model: its inputs bound to the caller's tensors. */
  private nestedScope(ref: TensorRef): number {
    const layer = ref.tensor.sourceLayer as Layer & LayersModel;
    const key = `${ref.scope}:${layer.id}:${ref.tensor.nodeIndex}`;
    const known = this.scopeIds.get(key);
    if (known !== undefined) return known;
    const node = layer.inboundNodes[ref.tensor.nodeIndex];
    if (!node) throw new Error(`Nested model "${layer.name}" has no call ${ref.tensor.nodeIndex}.`);
    const bindings = new Map<number, TensorRef>();
    layer.inputs.forEach((inner, i) => {
      const outer = node.inputTensors[i];
      if (outer) bindings.set(inner.id, this.ref(outer, ref.scope));
    });
    const id = this.scopes.length;
    this.scopes.push({ bindings });
    this.scopeIds.set(key, id);
    return id;
  }
}
