/** Plain-data types of the server-side folder browser (`library.browse`), used where no native folder dialog exists. */

/** `library.browse`: which folder to list (the user's home when left out) and whether to show hidden folders. */
export interface FolderBrowseParams {
  path?: string;
  showHidden?: boolean;
}

/** One folder inside the listed one. */
export interface BrowsedFolder {
  name: string;
  /** 'link' for a symbolic link to a folder: shown as such, entered only when it stays inside the listed folder. */
  kind: 'folder' | 'link';
  /** The real path to list next (a link's resolved target), or null when it cannot be entered. */
  path: string | null;
  /** Why it cannot be entered (a link out of this folder, no permission); null when it can. */
  note: string | null;
  /** Photos directly inside it (by their extension), null when it cannot be read. */
  images: number | null;
}

/** A folder imported into the open project before, newest first. */
export interface RecentImportFolder {
  path: string;
  /** When it was last imported (ISO time). */
  importedAt: string;
  /** False when it is gone or unreadable now. */
  exists: boolean;
}

/** What the folder browser shows: the real path listed, its subfolders, and where else to start. */
export interface FolderListing {
  /** The folder listed, as a real path (links resolved). */
  path: string;
  /** Its parent, null at the top of the file system. */
  parent: string | null;
  /** The home folder of the user the server runs as. */
  home: string;
  folders: BrowsedFolder[];
  /** Photos directly in the listed folder (by their extension). */
  images: number;
  /** Hidden folders left out (names starting with a dot) when showHidden is off. */
  hidden: number;
  /** True when the folder had more subfolders than one listing shows. */
  truncated: boolean;
  /** Folders imported into the open project before (empty without a project). */
  recent: RecentImportFolder[];
}
