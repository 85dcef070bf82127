import type { LayerSummary, ModelSummary } from '../api/types/models';

const WIDTHS = { layer: 42, shape: 24, params: 12 } as const;

/** A shape as Keras prints it: `(None, 112, 112, 32)`; several outputs as a list of those. */
export function formatShape(shape: LayerSummary['outputShape']): string {
  const one = (dims: (number | null)[]) => `(${dims.map((d) => (d === null ? 'None' : String(d))).join(', ')}${dims.length === 1 ? ',' : ''})`;
  return Array.isArray(shape[0]) ? `[${(shape as (number | null)[][]).map(one).join(', ')}]` : one(shape as (number | null)[]);
}

function fit(text: string, width: number): string {
  return text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text;
}

/**
 * The layer table as Keras's `model.summary()` prints a functional model: layer (type),
 * output shape, parameter count and the layers it is connected to (one per line), then the
 * totals.
 */
export function kerasSummaryTable(summary: ModelSummary, modelName: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const rule = (ch: string) => ch.repeat(WIDTHS.layer + WIDTHS.shape + WIDTHS.params + 34);
  const row = (layer: string, shape: string, params: string, connected: string) =>
    ` ${fit(layer, WIDTHS.layer).padEnd(WIDTHS.layer)}${fit(shape, WIDTHS.shape).padEnd(WIDTHS.shape)}${params.padStart(WIDTHS.params - 2).padEnd(WIDTHS.params)}${connected}`.trimEnd();
  const lines = [`Model: "${modelName}"`, rule('_'), row('Layer (type)', 'Output Shape', 'Param #', 'Connected to'), rule('=')];
  summary.layerTable.forEach((layer, i) => {
    const inbound = layer.inbound.length === 0 ? ['[]'] : layer.inbound.map((name) => `${name}[0][0]`);
    lines.push(row(`${layer.name} (${layer.className})`, formatShape(layer.outputShape), n(layer.params), inbound[0]!));
    for (const more of inbound.slice(1)) lines.push(row('', '', '', more));
    if (i < summary.layerTable.length - 1) lines.push('');
  });
  lines.push(rule('='), `Total params: ${n(summary.totalParams)}`, `Trainable params: ${n(summary.trainableParams)}`, `Non-trainable params: ${n(summary.nonTrainableParams)}`, rule('_'));
  return lines.join('\n');
}
