import type { LayersModel, Tensor } from '@tensorflow/tfjs';

/** A layer of a tfjs-layers model. */
export type Layer = LayersModel['layers'][number];
/** The keyword arguments a layer's call receives (`training`, `mask`). */
export type LayerKwargs = Parameters<Layer['call']>[1];
/** A replacement for a layer's call, given the call it replaces. */
export type LayerCall = (inputs: Tensor | Tensor[], kwargs: LayerKwargs, original: Layer['call']) => Tensor | Tensor[];

/**
 * Replaces the call of each layer of `model` that `replacementFor` gives one for, once per
 * `mark` (a layer already marked is left as it is, so applying twice changes nothing). Returns
 * a function that puts every replaced layer's own call back and removes the mark. Layers are
 * shared by every model built from them, so a prefix or suffix model follows too.
 */
export function patchLayerCalls(model: LayersModel, mark: symbol, replacementFor: (layer: Layer) => LayerCall | null): () => void {
  type Marked = Layer & { [key: symbol]: { ownCall: Layer['call'] | undefined } | undefined };
  const patched: Marked[] = [];
  for (const layer of model.layers as Marked[]) {
    if (layer[mark]) continue;
    const replacement = replacementFor(layer);
    if (!replacement) continue;
    const ownCall = Object.prototype.hasOwnProperty.call(layer, 'call') ? layer.call : undefined;
    const original = layer.call;
    layer[mark] = { ownCall };
    layer.call = (inputs: Tensor | Tensor[], kwargs: LayerKwargs) => replacement(inputs, kwargs, original);
    patched.push(layer);
  }
  return () => {
    for (const layer of patched) {
      const marked = layer[mark];
      if (!marked) continue;
      if (marked.ownCall) layer.call = marked.ownCall;
      else delete (layer as { call?: unknown }).call;
      delete layer[mark];
    }
  };
}
