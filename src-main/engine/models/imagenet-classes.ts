import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraftError } from '../../api/errors';

/** One ImageNet-1k class in model output order. */
export interface ImagenetClass {
  /** WordNet 3.0 id, e.g. `n01440764`. */
  id: string;
  /** Keras's `decode_predictions` label, e.g. `great_white_shark`. */
  label: string;
  /** The synset's synonyms, e.g. `great white shark, white shark, man-eater, …`. */
  names: string;
}

/** File name of the class list under `resources/`. */
export const IMAGENET_CLASSES_FILE = 'imagenet-classes.json';

let cached: { path: string; classes: readonly ImagenetClass[] } | undefined;
let defaultPath: string | undefined;

/**
 * The 1,000 ImageNet classes, read from `resources/imagenet-classes.json` on first use and kept.
 * `file` overrides where to read them (tests, or a packaged app that moved resources).
 */
export function imagenetClasses(file?: string): readonly ImagenetClass[] {
  const path = file ?? (defaultPath ??= locateResource(IMAGENET_CLASSES_FILE));
  if (cached?.path === path) return cached.classes;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new GraftError('io', `Cannot read the ImageNet class list at ${path}: ${(error as Error).message}`);
  }
  const classes = (parsed as { classes?: unknown }).classes;
  if (!Array.isArray(classes) || classes.length !== 1000 || !classes.every(isImagenetClass)) {
    throw new GraftError('io', `The ImageNet class list at ${path} is damaged: expected 1000 entries with id, label and names.`);
  }
  cached = { path, classes };
  return classes;
}

function isImagenetClass(value: unknown): value is ImagenetClass {
  const c = value as Partial<ImagenetClass> | null;
  return typeof c?.id === 'string' && typeof c.label === 'string' && typeof c.names === 'string';
}

/**
 * Finds `resources/<name>`: walks up from this module (source tree, or the bundled `out/` folder,
 * also inside an asar archive), then tries Electron's resources folder for files shipped as
 * extraResources.
 */
function locateResource(name: string): string {
  const candidates: string[] = [];
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    candidates.push(join(dir, 'resources', name));
    if (dirname(dir) === dir) break;
  }
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, name), join(resourcesPath, 'resources', name));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new GraftError('not-found', `The ImageNet class list (resources/${name}) is missing from this installation.`);
  return found;
}
