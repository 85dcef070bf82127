import os from 'node:os';
import path from 'node:path';

/**
 * Where ImageNet weights are downloaded to outside the app: `$GRAFT_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/graft/models`, else `~/.cache/graft/models`. (The desktop app passes
 * its own folder in user data.)
 */
export function defaultWeightsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GRAFT_CACHE_DIR) return path.resolve(env.GRAFT_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'graft', 'models');
}
