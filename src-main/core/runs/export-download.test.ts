import { describe, expect, it } from 'vitest';
import type { ExportResult } from '../../api/types/export';
import { withDownloadUrl } from './export-download';

const result = (dir: string): ExportResult => ({ format: 'onnx', dir, files: ['model.onnx'], parity: null });

describe('withDownloadUrl', () => {
  it('gives an export directly inside the project\'s exports a download URL under graft serve', () => {
    expect(withDownloadUrl(result('/p/exports/run-1-onnx'), '/p/exports', 'serve').downloadUrl).toBe('/download/export/run-1-onnx.zip');
    expect(withDownloadUrl(result('/p/exports/Été'), '/p/exports/', 'serve').downloadUrl).toBe('/download/export/%C3%89t%C3%A9.zip');
  });

  it('gives none in the desktop app, outside the exports, or deeper inside them', () => {
    expect(withDownloadUrl(result('/p/exports/run-1-onnx'), '/p/exports', 'electron').downloadUrl).toBeNull();
    expect(withDownloadUrl(result('/home/me/models/cats'), '/p/exports', 'serve').downloadUrl).toBeNull();
    expect(withDownloadUrl(result('/p/exports/a/b'), '/p/exports', 'serve').downloadUrl).toBeNull();
    expect(withDownloadUrl(result('/p/exports'), '/p/exports', 'serve').downloadUrl).toBeNull();
  });
});
