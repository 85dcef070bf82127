import type { ParityReport } from '../../api/types/export';
import type { EpochRecord } from '../../api/types/training';
import type { ExportMeta } from '../../api/types/export';
import { describeFreeze, describeHead } from './model-card';

/** Escapes text for HTML. */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** An inline SVG line chart of several series over epochs; no script, no external file. */
function lineChart(title: string, series: { name: string; colour: string; values: (number | null)[] }[], yMax?: number): string {
  const width = 560;
  const height = 220;
  const pad = { left: 44, right: 12, top: 24, bottom: 28 };
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const top = yMax ?? Math.max(1e-9, ...all) * 1.05;
  const n = Math.max(...series.map((s) => s.values.length));
  const x = (i: number) => pad.left + (n <= 1 ? 0 : (i / (n - 1)) * (width - pad.left - pad.right));
  const y = (v: number) => pad.top + (1 - v / top) * (height - pad.top - pad.bottom);
  const paths = series
    .map((s) => {
      const points = s.values.map((v, i) => (v === null || !Number.isFinite(v) ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter((p): p is string => p !== null);
      return points.length ? `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${points.join(' ')}"/>` : '';
    })
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => `<text x="${pad.left - 6}" y="${y(t * top) + 4}" text-anchor="end">${(t * top).toPrecision(2)}</text>`).join('');
  const legend = series.map((s, i) => `<text x="${pad.left + i * 130}" y="14" fill="${s.colour}">■ ${esc(s.name)}</text>`).join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">
<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="#999"/>${ticks}${legend}${paths}
<text x="${width / 2}" y="${height - 6}" text-anchor="middle">epoch (1–${n})</text></svg></figure>`;
}

function confusionTable(classes: string[], confusion: number[][]): string {
  const max = Math.max(1, ...confusion.flat());
  const head = `<tr><th>true \\ predicted</th>${classes.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const rows = confusion
    .map(
      (row, i) =>
        `<tr><th>${esc(classes[i]!)}</th>${row
          .map((n, j) => `<td style="background: rgba(${i === j ? '46,125,50' : '198,40,40'}, ${(0.1 + (0.8 * n) / max).toFixed(2)})">${n}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<table class="confusion">${head}${rows}</table>`;
}

/**
 * `report.html`: a self-contained training report (curves, confusion matrices, per-class
 * metrics, the settings) that opens offline in any browser.
 */
export function reportHtml(meta: ExportMeta, parity: ParityReport | null): string {
  const h: EpochRecord[] = meta.history;
  const evaluations = meta.evaluations
    .map((e) => {
      const r = e.report;
      const perClass = meta.classes
        .map((c, i) => `<tr><td>${esc(c)}</td><td>${r.precision[i]!.toFixed(3)}</td><td>${r.recall[i]!.toFixed(3)}</td><td>${r.f1[i]!.toFixed(3)}</td><td>${r.support[i]}</td></tr>`)
        .join('');
      return `<section><h2>${esc(e.split)} split, ${esc(e.checkpoint)} checkpoint — accuracy ${(100 * r.accuracy).toFixed(1)} %</h2>
<table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>${perClass}</table>
<h3>Confusion matrix</h3>${confusionTable(meta.classes, r.confusion)}</section>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(meta.runName)} — Graft training report</title>
<style>
body { font: 14px/1.5 system-ui, sans-serif; margin: 24px auto; max-width: 1000px; padding: 0 16px; color: #1b1f24; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; } figure { margin: 12px 0; } figcaption { font-weight: 600; }
svg text { font-size: 11px; fill: #555; } table { border-collapse: collapse; margin: 8px 0; } td, th { border: 1px solid #ddd; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; } .confusion td { min-width: 36px; text-align: center; } pre { background: #f5f6f8; padding: 12px; overflow: auto; }
@media (prefers-color-scheme: dark) { body { background: #16181c; color: #e6e6e6; } td, th { border-color: #333; } pre { background: #22252b; } svg text { fill: #aaa; } }
</style></head><body>
<h1>${esc(meta.runName)}</h1>
<p>${meta.classes.length} classes (${meta.classes.map(esc).join(', ')}); ${esc(meta.config.base.arch)}, ${esc(describeFreeze(meta.config))}; head ${esc(describeHead(meta.config, meta.classes.length))}. Trained ${esc(meta.createdAt)} with Graft ${esc(meta.appVersion)} on ${esc(meta.backend ?? '?')} (frozen layers on ${esc(meta.runtime ?? '?')}).${
    parity ? ` Export parity: max |Δ| ${parity.maxAbsDiff.toExponential(2)} (${parity.passed ? 'passed' : 'FAILED'}, ${esc(parity.reader)}).` : ''
  }</p>
${lineChart('Loss', [
    { name: 'training', colour: '#1565c0', values: h.map((e) => e.loss) },
    { name: 'validation', colour: '#ef6c00', values: h.map((e) => e.valLoss) },
  ])}
${lineChart(
    'Accuracy',
    [
      { name: 'training', colour: '#1565c0', values: h.map((e) => e.acc) },
      { name: 'validation', colour: '#ef6c00', values: h.map((e) => e.valAcc) },
    ],
    1,
  )}
${evaluations}
<h2>Settings</h2><pre>${esc(JSON.stringify(meta.config, null, 2))}</pre>
</body></html>
`;
}
