/** Finding Debian's PyTorch for the benchmarks' reference figures. */
import { spawnSync } from 'node:child_process';

/** What a benchmark prints instead of a ratio when PyTorch is not installed. */
export const TORCH_MISSING = 'reference missing: apt-get install -y python3-torch python3-torchvision';

/**
 * The first Python that imports torch and torchvision: $PYTHON, `python3` on the PATH, then
 * Debian's own interpreter (apt installs python3-torch for it; a pyenv `python3` may shadow it).
 */
export function torchPython(): string | null {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => Boolean(c));
  return candidates.find((python) => spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8' }).status === 0) ?? null;
}

/** The environment PyTorch is tuned with: glibc keeps large activation buffers instead of re-mapping them per batch. */
export function torchEnv(): NodeJS.ProcessEnv {
  return { ...process.env, MALLOC_MMAP_THRESHOLD_: '4294967296', MALLOC_TRIM_THRESHOLD_: '4294967296' };
}
