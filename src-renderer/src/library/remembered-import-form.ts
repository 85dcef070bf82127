/** What the import form holds, as it is kept between visits. */
export interface ImportFormState {
  folder: string;
  labelsFromSubfolders: boolean;
  /** The folder level as typed; empty for each photo's own folder. */
  labelDepth: string;
  allowSvg: boolean;
}

/** The storage the form is kept in: the browser's localStorage, or a stand-in in tests. */
export type FormStorage = Pick<Storage, 'getItem' | 'setItem'>;

const KEY_PREFIX = 'graft.import-form:';

/** The key of one project's form: each project remembers its own folder. */
export function importFormKey(projectDir: string): string {
  return KEY_PREFIX + projectDir;
}

/** The form as last left in this project, or null when there is none or it cannot be read. */
export function loadImportForm(projectDir: string, storage: FormStorage | null = browserStorage()): ImportFormState | null {
  if (!storage || !projectDir) return null;
  try {
    const raw = storage.getItem(importFormKey(projectDir));
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Record<keyof ImportFormState, unknown>>;
    if (typeof value.folder !== 'string') return null;
    return {
      folder: value.folder,
      labelsFromSubfolders: value.labelsFromSubfolders === true,
      labelDepth: typeof value.labelDepth === 'string' && /^\d{0,2}$/.test(value.labelDepth) ? value.labelDepth : '',
      allowSvg: value.allowSvg === true,
    };
  } catch {
    return null;
  }
}

/** Keeps the form for the next visit; a full or disabled storage only means it is not remembered. */
export function saveImportForm(projectDir: string, state: ImportFormState, storage: FormStorage | null = browserStorage()): void {
  if (!storage || !projectDir) return;
  try {
    storage.setItem(importFormKey(projectDir), JSON.stringify(state));
  } catch {
    // Private windows and full quotas refuse writes; the form then simply starts empty next time.
  }
}

function browserStorage(): FormStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
