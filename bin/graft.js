#!/usr/bin/env node
// Launches the built CLI; the build lives in out/ (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('graft: Graft is not built yet. Run "npm run build" in ' + root + ' first.\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
