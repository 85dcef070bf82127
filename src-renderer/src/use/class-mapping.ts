/**
 * What the main side says when a model's classes differ from the project's, read back so the
 * import form can offer a mapping table. The refusal (`models.import`) names the classes in
 * double quotes: `the model has "a", "b", which the project lacks; the project has "c", which
 * the model lacks`. Only the message crosses the transport, so the names are read from it.
 */
export interface ClassDifference {
  /** Model classes the project does not have: each needs a project class to map to. */
  extra: string[];
  /** Project classes the model does not have (nothing to map; shown so the user knows). */
  lacking: string[];
}

const QUOTED = /"([^"]*)"/g;

function namesIn(part: string | undefined): string[] {
  return part ? [...part.matchAll(QUOTED)].map((m) => m[1]!) : [];
}

/** The class difference a `models.import` refusal names, or null when the message is about something else. */
export function parseClassDifference(message: string): ClassDifference | null {
  if (!message.startsWith("The model's classes differ from the project's")) return null;
  const extra = namesIn(/the model has (.*?), which the project lacks/.exec(message)?.[1]);
  const lacking = namesIn(/the project has (.*?), which the model lacks/.exec(message)?.[1]);
  return extra.length + lacking.length > 0 ? { extra, lacking } : null;
}

/** One row of the mapping table: a model class and the project class the user sends it to ('' = not chosen yet). */
export interface MappingRow {
  modelClass: string;
  projectClass: string;
}

/** Starting rows: each model-only class, preset to a project class of the same name ignoring case when there is one. */
export function mappingRows(difference: ClassDifference, projectClasses: readonly string[]): MappingRow[] {
  return difference.extra.map((modelClass) => ({
    modelClass,
    projectClass: projectClasses.find((c) => c.toLowerCase() === modelClass.toLowerCase()) ?? '',
  }));
}

/** The `mapClasses` of a filled-in table, or the model classes still without a target. */
export function mapClassesOf(rows: readonly MappingRow[]): { map: Record<string, string> } | { missing: string[] } {
  const missing = rows.filter((r) => r.projectClass === '').map((r) => r.modelClass);
  if (missing.length > 0) return { missing };
  return { map: Object.fromEntries(rows.map((r) => [r.modelClass, r.projectClass])) };
}
