/** The errno code of a Node file-system error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Turns a file-system error into a short reason a user can act on. */
export function fsErrorReason(error: unknown, what: 'file' | 'folder'): string {
  switch (errnoCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return `cannot read ${what} (permission denied)`;
    case 'ELOOP':
      return 'symlink loop';
    case 'ENOENT':
      return `${what} disappeared or is a broken symlink`;
    case 'EISDIR':
      return 'is a folder';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files (try again with lower concurrency)';
    case 'EIO':
      return `input/output error reading ${what} (disk or network problem)`;
    default:
      return `cannot read ${what}: ${(error as Error)?.message ?? String(error)}`;
  }
}
