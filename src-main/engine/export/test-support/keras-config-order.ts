// Test support: the `model.layers` order Keras gives a Functional model rebuilt from a saved
// config, recomputed from the JSON alone (no tfjs), as Keras's map_graph does it: number each
// layer when a depth-first walk back from the outputs first reaches it, give each call its
// longest distance to an output, list deepest layers first and ties by that number.

type Address = [string, number, number];

interface SavedLayer {
  name: string;
  inbound_nodes: unknown[];
}

function isAddress(value: unknown): value is Address {
  return Array.isArray(value) && value.length >= 3 && typeof value[0] === 'string' && typeof value[1] === 'number';
}

/** The tensors one saved call takes, in order, from either Keras 3's or Keras 2's node form. */
function callInputs(node: unknown): Address[] {
  const found: Address[] = [];
  const walk = (value: unknown): void => {
    if (isAddress(value)) {
      found.push(value);
      return;
    }
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const object = value as { class_name?: string; config?: { keras_history?: unknown }; args?: unknown };
      if (object.class_name === '__keras_tensor__') walk(object.config?.keras_history);
      else if ('args' in object) walk(object.args);
    }
  };
  walk(node);
  return found;
}

/** Layer names in the order Keras would list them after loading the config. */
export function kerasOrderFromConfig(layers: SavedLayer[], outputs: unknown): string[] {
  const calls = new Map(layers.map((l) => [l.name, l.inbound_nodes.map(callInputs)]));
  const seen = new Map<string, number>();
  const finished = new Set<string>();
  const post: string[] = [];
  const visit = ([layer, node]: Address): void => {
    const key = `${layer}#${node}`;
    if (finished.has(key)) return;
    if (!seen.has(layer)) seen.set(layer, seen.size);
    for (const input of calls.get(layer)?.[node] ?? []) visit(input);
    finished.add(key);
    post.push(key);
  };
  const outputList = isAddress(outputs) ? [outputs] : (outputs as Address[]);
  outputList.forEach(visit);
  const nodeDepth = new Map<string, number>();
  const layerDepth = new Map<string, number>();
  for (const key of [...post].reverse()) {
    const [layer, node] = key.split('#') as [string, string];
    const depth = Math.max(nodeDepth.get(key) ?? 0, layerDepth.get(layer) ?? 0);
    layerDepth.set(layer, depth);
    nodeDepth.set(key, depth);
    for (const [parent, parentNode] of calls.get(layer)?.[Number(node)] ?? []) {
      const parentKey = `${parent}#${parentNode}`;
      nodeDepth.set(parentKey, Math.max(depth + 1, nodeDepth.get(parentKey) ?? 0));
    }
  }
  return [...layerDepth.keys()].sort((a, b) => (layerDepth.get(b) ?? 0) - (layerDepth.get(a) ?? 0) || (seen.get(a) ?? 0) - (seen.get(b) ?? 0));
}
