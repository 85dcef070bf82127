import type { PredictedImage } from '../../../src-main/api/types/predict';

/** One CSV field, quoted when it holds a comma, a quote, a line break or edge spaces (RFC 4180). */
function field(value: string): string {
  return /[",\r\n]/.test(value) || value.trim() !== value ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A probability with enough digits to read back the float32 the model gave. */
function probability(value: number): string {
  return String(Number(value.toPrecision(9)));
}

/**
 * The predictions as the CSV `graft predict --csv` writes: `path,label,probability`, then one
 * column per class with that class's probability; CRLF line ends. Built in the page so a
 * browser under `graft serve` can download it.
 */
export function predictionsCsv(classes: readonly string[], results: readonly PredictedImage[]): string {
  const lines = [['path', 'label', 'probability', ...classes].map(field).join(',')];
  for (const image of results) {
    const top = image.top[0];
    lines.push([field(image.path), field(top?.label ?? ''), top ? probability(top.probability) : '', ...image.probabilities.map(probability)].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Offers text as a file download from the page (a Blob URL, released after the click). */
export function downloadText(fileName: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
