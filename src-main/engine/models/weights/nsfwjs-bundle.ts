import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GraftError } from '../../../api/errors';
import { parseJsLiteral } from './js-literal';
import type { TfjsManifestGroup, TfjsWeightSpec } from './tfjs-weights';

/** A tfjs layers model as the nsfwjs package ships it: topology plus all weights in memory. */
export interface NsfwjsArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: TfjsWeightSpec[];
  weightData: Uint8Array;
}

/** The folder holding nsfwjs's bundled models (`…/nsfwjs/dist/models`), found through Node's resolver. */
export function nsfwjsModelsDir(): string {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('nsfwjs');
  } catch {
    throw new GraftError('io', 'The bundled weights come from the "nsfwjs" package, which is not installed.');
  }
  // Walk up from the package's entry file to its root: …/nsfwjs/dist/cjs/index.js → …/nsfwjs.
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const models = path.join(dir, 'dist', 'models');
    if (path.basename(dir) === 'nsfwjs' && existsSync(models)) return models;
  }
  throw new GraftError('io', `The nsfwjs package at ${entry} has no dist/models folder.`);
}

// Each .min.js file is a UMD wrapper around `….exports=<literal>`; take the literal, run nothing.
function exportedLiteral(source: string, file: string): unknown {
  const at = /\.exports=(?=[{"])/.exec(source);
  if (!at) throw new Error(`no exported literal in ${file}`);
  return parseJsLiteral(source, at.index + at[0].length).value;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new GraftError('io', `A bundled model file is missing: ${file}. Reinstall the app.`);
  }
}

/**
 * Reads one of nsfwjs's bundled models (`model.min.js` + `group1-shard*.min.js`, base64 inside)
 * from disk without executing the package's browser code.
 */
export async function readNsfwjsArtifacts(folder: string, modelsDir = nsfwjsModelsDir()): Promise<NsfwjsArtifacts> {
  const dir = path.join(modelsDir, folder);
  const modelFile = path.join(dir, 'model.min.js');
  try {
    const model = exportedLiteral(await readText(modelFile), modelFile) as {
      modelTopology?: Record<string, unknown>;
      weightsManifest?: TfjsManifestGroup[];
    };
    if (!model.modelTopology || !Array.isArray(model.weightsManifest)) throw new Error(`${modelFile} is not a layers model`);
    const chunks: Buffer[] = [];
    for (const group of model.weightsManifest) {
      for (const shard of group.paths) {
        const shardFile = path.join(dir, `${shard}.min.js`);
        const base64 = exportedLiteral(await readText(shardFile), shardFile);
        if (typeof base64 !== 'string') throw new Error(`${shardFile} does not hold base64 text`);
        chunks.push(Buffer.from(base64, 'base64'));
      }
    }
    return {
      modelTopology: model.modelTopology,
      weightSpecs: model.weightsManifest.flatMap((g) => g.weights),
      weightData: Buffer.concat(chunks),
    };
  } catch (error) {
    if (error instanceof GraftError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new GraftError('io', `Could not read the bundled model in ${dir}: ${why}.`);
  }
}
