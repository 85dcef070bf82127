/** A file the user dropped or chose, with its path relative to what was dropped (`cats/a.jpg`). */
export interface PickedFile {
  file: File;
  path: string;
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every entry of a dropped folder: a reader hands them out in batches until one comes back empty. */
async function childrenOf(entry: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = entry.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function collect(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    out.push({ file: await fileOf(entry as FileSystemFileEntry), path: prefix + entry.name });
  } else if (entry.isDirectory) {
    for (const child of await childrenOf(entry as FileSystemDirectoryEntry)) await collect(child, `${prefix}${entry.name}/`, out);
  }
}

/**
 * The files of a drop, with folders walked so each file keeps its path below what was
 * dropped. The entries must be taken while the drop event runs (the browser empties the
 * list afterwards), so call this synchronously from the handler; the walk itself is async.
 */
export function filesOfDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries: (FileSystemEntry | null)[] = [...transfer.items].filter((item) => item.kind === 'file').map((item) => item.webkitGetAsEntry?.() ?? null);
  const files = [...transfer.files];
  return (async () => {
    const out: PickedFile[] = [];
    if (entries.length === files.length && entries.every((entry) => entry !== null)) {
      for (const entry of entries) await collect(entry!, '', out);
      return out;
    }
    // No file-system entries (a drop made by a script, an old browser): the files as they come.
    return files.map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  })();
}

/** The files of a file input; with `webkitdirectory` each keeps its path below the chosen folder. */
export function filesOfInput(input: HTMLInputElement): PickedFile[] {
  return [...(input.files ?? [])].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}
