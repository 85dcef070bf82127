import path from 'node:path';

/** The files and folders that make a directory a Graft project. */
export interface ProjectLayout {
  dir: string;
  database: string;
  thumbnails: string;
  runs: string;
  exports: string;
  /** Photos sent from a browser page (`graft serve`), kept with their folders; made on the first upload. */
  photos: string;
  /** Activations of frozen model prefixes, computed once per image and reused by every run. */
  activations: string;
}

/** Name of the project database file. */
export const PROJECT_DB_FILE = 'graft.db';

/** Where each part of a project lives inside its folder. */
export function projectLayout(dir: string): ProjectLayout {
  const root = path.resolve(dir);
  return {
    dir: root,
    database: path.join(root, PROJECT_DB_FILE),
    thumbnails: path.join(root, 'thumbnails'),
    runs: path.join(root, 'runs'),
    exports: path.join(root, 'exports'),
    photos: path.join(root, 'photos'),
    activations: path.join(root, 'cache', 'activations'),
  };
}
