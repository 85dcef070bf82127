/**
 * Runs a short Python snippet with scikit-learn for cross-checking tests. Debian's
 * `python3-sklearn` lives under /usr/bin/python3, which a pyenv `python3` on PATH may hide,
 * so both are tried. Tests skip (with the reason) when neither has scikit-learn.
 */
import { spawnSync } from 'node:child_process';

const CANDIDATES = ['/usr/bin/python3', 'python3'];

let found: { python: string | null; reason: string } | undefined;

/** The first Python that imports sklearn, or null with the reason none did. */
export function sklearnPython(): { python: string | null; reason: string } {
  if (found) return found;
  const tried: string[] = [];
  for (const python of CANDIDATES) {
    const probe = spawnSync(python, ['-c', 'import sklearn, sys; sys.stdout.write(sklearn.__version__)'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return (found = { python, reason: `scikit-learn ${probe.stdout.trim()} (${python})` });
    tried.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1) ?? 'failed'}`);
  }
  return (found = { python: null, reason: `scikit-learn not available (apt-get install -y python3-sklearn); tried ${tried.join('; ')}` });
}

/**
 * Runs `script` with `input` as JSON on stdin (the script reads `data`); returns what the
 * script prints as JSON with `print(json.dumps(...))`.
 */
export function runSklearn<T>(script: string, input: unknown): T {
  const { python, reason } = sklearnPython();
  if (!python) throw new Error(reason);
  const prelude = 'import json, sys\nimport numpy as np\ndata = json.load(sys.stdin)\n';
  const result = spawnSync(python, ['-c', prelude + script], { input: JSON.stringify(input), encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`Python failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
