import path from 'node:path';

/** The slice of Emscripten's FS that HDF5's open() goes through (NODERAWFS in h5wasm's Node build). */
export interface EmscriptenFs {
  open(path: string, flags: number, mode?: number): unknown;
  ErrnoError: new (errno: number) => Error;
}

// WASI's EACCES, the errno Emscripten's syscalls hand back to C.
const EACCES = 2;

/**
 * Lets HDF5 open only the files Graft opened on purpose. An HDF5 file can point at other files:
 * external raw storage (`../outside-bias.bin`), virtual dataset sources, external links.
 * Following them would let a weights file read any file on disk (a planted value becomes a
 * prediction) or hang on a FIFO, so every other open fails as "permission denied" and is
 * recorded, for a message that names the file the weights tried to reach.
 */
export class H5FsGuard {
  private readonly allowed = new Map<string, number>();
  private refusedPaths: string[] = [];

  constructor(fs: EmscriptenFs) {
    const open = fs.open.bind(fs);
    fs.open = (target, flags, mode) => {
      if (!this.allowed.has(path.resolve(target))) {
        this.refusedPaths.push(target);
        throw new fs.ErrnoError(EACCES);
      }
      return open(target, flags, mode);
    };
  }

  /** Allows HDF5 to open `file` until the returned function is called. */
  allow(file: string): () => void {
    const key = path.resolve(file);
    this.allowed.set(key, (this.allowed.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.allowed.get(key) ?? 1) - 1;
      if (left > 0) this.allowed.set(key, left);
      else this.allowed.delete(key);
    };
  }

  /** The files HDF5 was refused since the last call, which starts a fresh list. */
  takeRefused(): string[] {
    const refused = this.refusedPaths;
    this.refusedPaths = [];
    return refused;
  }
}
