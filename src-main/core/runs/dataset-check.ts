import type { DatasetCheck } from '../../api/types/runs';
import type { Project } from '../project/project';
import { datasetProblems, readDataset } from './dataset-snapshot';

/** Fewer training images than this in a class trains poorly. */
const TINY_CLASS = 10;
/** A largest-to-smallest class ratio above this is worth class weights. */
const IMBALANCE = 3;

/** The data check of the training wizard: counts per class and split, problems and warnings. */
export function checkDataset(project: Project): DatasetCheck {
  const { snapshot, unsplit } = readDataset(project);
  const rows = new Map<string, DatasetCheck['classes'][number]>();
  for (const name of snapshot.classes) rows.set(name, { name, train: 0, validation: 0, test: 0, unsplit: 0 });
  for (const image of snapshot.images) rows.get(snapshot.classes[image.label]!)![image.split] += 1;
  const unsplitByClass = project.db
    .prepare(
      `SELECT c.name AS name, COUNT(*) AS n FROM labels l JOIN images i ON i.id = l.image_id JOIN classes c ON c.id = l.class_id
        LEFT JOIN splits s ON s.image_id = i.id WHERE i.missing = 0 AND s.split IS NULL GROUP BY c.id ORDER BY c.sort_order`,
    )
    .all() as { name: string; n: number }[];
  for (const { name, n } of unsplitByClass) {
    const row = rows.get(name) ?? { name, train: 0, validation: 0, test: 0, unsplit: 0 };
    row.unsplit = n;
    rows.set(name, row);
  }
  const counts = project.db
    .prepare(
      `SELECT SUM(CASE WHEN l.image_id IS NULL AND i.missing = 0 THEN 1 ELSE 0 END) AS unlabelled, SUM(i.missing) AS missing
         FROM images i LEFT JOIN labels l ON l.image_id = i.id`,
    )
    .get() as { unlabelled: number | null; missing: number | null };
  const classes = [...rows.values()];
  const warnings: DatasetCheck['warnings'] = [];
  for (const row of classes) {
    if (row.train > 0 && row.train < TINY_CLASS) {
      warnings.push({ code: 'tiny-class', classes: [row.name], message: `"${row.name}" has only ${row.train} training ${row.train === 1 ? 'image' : 'images'}; about ${TINY_CLASS} or more train much better. Label more photos of it.` });
    }
  }
  const trained = classes.map((c) => c.train).filter((n) => n > 0);
  if (trained.length >= 2 && Math.max(...trained) > IMBALANCE * Math.min(...trained)) {
    const small = classes.filter((c) => c.train > 0 && c.train * IMBALANCE < Math.max(...trained)).map((c) => c.name);
    warnings.push({ code: 'imbalance', classes: small, message: `The classes are imbalanced (${Math.min(...trained)} to ${Math.max(...trained)} training images). Use balanced class weights, or label more of the small classes.` });
  }
  const unlabelled = counts.unlabelled ?? 0;
  const missing = counts.missing ?? 0;
  if (unlabelled > 0) warnings.push({ code: 'unlabelled', message: `${unlabelled} ${unlabelled === 1 ? 'photo is' : 'photos are'} not labelled and will not be used.` });
  if (missing > 0) warnings.push({ code: 'missing', message: `${missing} ${missing === 1 ? 'photo is' : 'photos are'} missing on disk and will not be used; import their folder again to relink them.` });
  return { classes, unlabelled, missing, problems: datasetProblems(snapshot, unsplit), warnings };
}

/** Project settings key of the last run's config, offered again by the wizard. */
export const LAST_CONFIG_KEY = 'last_training_config';

/** The config of the last run started in this project, if any. */
export function lastTrainingConfig(project: Project): unknown {
  const row = project.db.prepare('SELECT value FROM project_meta WHERE key = ?').get(LAST_CONFIG_KEY) as { value: string } | undefined;
  if (!row) return null;
  try {
    return JSON.parse(row.value) as unknown;
  } catch {
    return null;
  }
}

/** Remembers a run's config as the project's last one. */
export function rememberTrainingConfig(project: Project, config: unknown): void {
  project.db.prepare('INSERT OR REPLACE INTO project_meta (key, value) VALUES (?, ?)').run(LAST_CONFIG_KEY, JSON.stringify(config));
}
