import { GraftError } from '../../api/errors';
import type { Project } from '../project/project';
import { isImageFormat } from './image-formats';
import { likelyErrorsOrder, uncertaintyOrder, type ModelOrder } from './model-opinions';
import type { ImageFormat, ImageRow, ImageRecord, SplitName } from '../../api/types/library';
import type { ImageQuery, ImagePage, LibraryCounts } from '../../api/types/library';
export type { ImageQuery, ImagePage, LibraryCounts } from '../../api/types/library';

/** Largest page the grid may ask for at once. */
export const MAX_PAGE_SIZE = 2000;

interface ImageDbRow {
  id: number;
  path: string;
  file_name: string;
  size: number;
  mtime_ms: number;
  width: number;
  height: number;
  content_hash: string;
  format: string;
  added_at: string;
  missing: number;
}

/** Reads one image by id, or null when there is none. */
export function getImage(project: Project, imageId: number): ImageRecord | null {
  if (!Number.isSafeInteger(imageId)) return null;
  const row = project.db.prepare('SELECT * FROM images WHERE id = ?').get(imageId) as ImageDbRow | undefined;
  return row ? toRecord(row) : null;
}

/** Reads one image by its absolute path, or null when there is none. */
export function findImageByPath(project: Project, filePath: string): ImageRecord | null {
  const row = project.db.prepare('SELECT * FROM images WHERE path = ?').get(filePath) as ImageDbRow | undefined;
  return row ? toRecord(row) : null;
}

/** Lists a page of images matching a filter, in a stable order, with the total count for a virtual grid. */
export function listImages(project: Project, query: ImageQuery = {}): ImagePage<ImageRow> {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 200;
  if (!Number.isInteger(offset) || offset < 0) throw new GraftError('bad-request', 'Page offset must be a whole number ≥ 0.');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new GraftError('bad-request', `Page size must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  const { from, where, params, model } = buildFilter(query);
  const order = orderClause(query, model);
  const total = (project.db.prepare(`SELECT COUNT(*) AS n FROM ${from} ${where}`).get(params) as { n: number }).n;
  // Page ids first, touching only what the filter needs (often just an index), then the
  // label and split of those few rows: deep offsets stay cheap at 100k images. A model-based
  // view carries its score and class out of the page, so its join runs once.
  const modelColumns = model ? `, ${model.className} AS model_class, ${model.key} AS model_score` : '';
  const rows = project.db
    .prepare(
      `SELECT i.id, i.path, i.file_name, i.width, i.height, i.format, i.missing, l.class_id, s.split, s.pinned${model ? ', page.model_class, page.model_score' : ''}
       FROM (SELECT i.id${modelColumns} FROM ${from} ${where} ORDER BY ${order.inner} LIMIT @limit OFFSET @offset) page
       JOIN images i ON i.id = page.id
       LEFT JOIN labels l ON l.image_id = i.id
       LEFT JOIN splits s ON s.image_id = i.id
       ORDER BY ${order.outer}`,
    )
    .all({ ...params, limit, offset }) as ListRow[];
  return { total, offset, items: rows.map(toListItem) };
}

/**
 * The ids of the images matching a filter, in grid order: all of them, or the positions
 * [offset, offset + limit). Backs shift-range selection and "select all" in the filter.
 */
export function listImageIds(project: Project, query: ImageQuery = {}): number[] {
  const { from, where, params, model } = buildFilter(query);
  const offset = query.offset ?? 0;
  const limit = query.limit ?? -1;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit)) throw new GraftError('bad-request', 'Offset and limit must be whole numbers.');
  return project.db
    .prepare(`SELECT i.id FROM ${from} ${where} ORDER BY ${orderClause(query, model).inner} LIMIT @limit OFFSET @offset`)
    .pluck()
    .all({ ...params, limit, offset }) as number[];
}

const ORDERS: Record<Exclude<NonNullable<ImageQuery['orderBy']>, 'uncertainty'>, string> = { path: 'i.path', name: 'i.file_name, i.id', added: 'i.id' };

/** The ORDER BY of the page query (`inner`) and of the rows read for it (`outer`, over `page` and `i`). */
function orderClause(query: ImageQuery, model: ModelOrder | null): { inner: string; outer: string } {
  // A model-based view sorts by its score unless the query names another order.
  if (model && (query.orderBy === 'uncertainty' || query.orderBy === undefined)) {
    const direction = model.descending ? 'DESC' : 'ASC';
    return { inner: `${model.key} ${direction}, i.id`, outer: `page.model_score ${direction}, i.id` };
  }
  const key = query.orderBy ?? 'path';
  // hasOwn: the key comes from the client, and "toString" is a property of every object.
  if (!Object.hasOwn(ORDERS, key)) {
    throw new GraftError('bad-request', `Order by ${[...Object.keys(ORDERS), 'uncertainty'].join(', ')}; not "${String(key)}".`);
  }
  const order = ORDERS[key as keyof typeof ORDERS];
  return { inner: order, outer: order };
}

interface ListRow {
  id: number;
  path: string;
  file_name: string;
  width: number;
  height: number;
  format: string;
  missing: number;
  class_id: number | null;
  split: SplitName | null;
  pinned: number | null;
  model_class?: string | null;
  model_score?: number | null;
}

/** The model-based view a query asks for (uncertainty order, likely errors), or null; refuses the two together. */
function modelOrderOf(query: ImageQuery): ModelOrder | null {
  if (query.likelyErrors && query.orderBy === 'uncertainty') {
    throw new GraftError('bad-request', 'The uncertainty order shows unlabelled images and likely errors are labelled ones; choose one.');
  }
  if (query.likelyErrors && query.unlabelled) throw new GraftError('bad-request', 'Likely label errors are labelled images; leave "unlabelled" out.');
  if (query.orderBy === 'uncertainty' && query.classId !== undefined) throw new GraftError('bad-request', 'The uncertainty order shows unlabelled images; leave the class filter out.');
  if (query.likelyErrors) return likelyErrorsOrder();
  if (query.orderBy === 'uncertainty') return uncertaintyOrder(query.uncertainty ?? 'margin');
  return null;
}

function buildFilter(query: ImageQuery): { from: string; where: string; params: Record<string, string | number>; model: ModelOrder | null } {
  const clauses: string[] = [];
  const params: Record<string, string | number> = {};
  if (query.classId !== undefined && query.unlabelled) {
    throw new GraftError('bad-request', 'Choose either a class or "unlabelled", not both.');
  }
  const model = modelOrderOf(query);
  if (model) Object.assign(params, model.params);
  // "Most useful to label next" is about images still to label.
  const unlabelled = query.unlabelled || query.orderBy === 'uncertainty';
  if (query.classId !== undefined) {
    // IN drives from the (class_id, image_id) index: ~10× faster than a correlated EXISTS at 100k.
    clauses.push('i.id IN (SELECT image_id FROM labels WHERE class_id = @classId)');
    params.classId = query.classId;
  }
  if (unlabelled) clauses.push('NOT EXISTS (SELECT 1 FROM labels l WHERE l.image_id = i.id)');
  if (query.split === 'none') clauses.push('NOT EXISTS (SELECT 1 FROM splits s WHERE s.image_id = i.id)');
  else if (query.split !== undefined) {
    clauses.push('i.id IN (SELECT image_id FROM splits WHERE split = @split)');
    params.split = query.split;
  }
  if (query.nameContains) {
    // instr() rather than LIKE: no wildcard escaping, and user text such as "50%" means itself.
    clauses.push('instr(lower(i.file_name), lower(@name)) > 0');
    params.name = query.nameContains;
  }
  if (query.missing !== undefined) {
    clauses.push('i.missing = @missing');
    params.missing = query.missing ? 1 : 0;
  }
  return { from: `images i${model ? ` ${model.join}` : ''}`, where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params, model };
}

function toListItem(row: ListRow): ImageRow {
  return {
    id: row.id,
    path: row.path,
    fileName: row.file_name,
    width: row.width,
    height: row.height,
    format: formatOf(row.format),
    classId: row.class_id,
    split: row.split,
    pinned: row.pinned === 1,
    missing: row.missing === 1,
    ...(row.model_class !== undefined && row.model_class !== null && row.model_score !== undefined && row.model_score !== null
      ? { model: { className: row.model_class, score: row.model_score } }
      : {}),
  };
}

function toRecord(row: ImageDbRow): ImageRecord {
  return {
    id: row.id,
    path: row.path,
    fileName: row.file_name,
    size: row.size,
    mtimeMs: row.mtime_ms,
    width: row.width,
    height: row.height,
    contentHash: row.content_hash,
    format: formatOf(row.format),
    addedAt: row.added_at,
    missing: row.missing === 1,
  };
}

function formatOf(value: string): ImageFormat {
  if (!isImageFormat(value)) throw new Error(`Unknown image format in the database: ${value}`);
  return value;
}

/** Counts images overall, labelled, unlabelled, missing and per class. */
export function libraryCounts(project: Project): LibraryCounts {
  const db = project.db;
  const total = (db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
  const missing = (db.prepare('SELECT COUNT(*) AS n FROM images WHERE missing = 1').get() as { n: number }).n;
  const rows = db.prepare('SELECT class_id, COUNT(*) AS n FROM labels GROUP BY class_id').all() as { class_id: number; n: number }[];
  const perClass: Record<number, number> = {};
  let labelled = 0;
  for (const row of rows) {
    perClass[row.class_id] = row.n;
    labelled += row.n;
  }
  return { total, labelled, unlabelled: total - labelled, missing, perClass };
}
