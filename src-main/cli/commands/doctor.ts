import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { EngineClient } from '../../engine/host/engine-client';
import { APP_VERSION } from '../../core/app-version';
import { printResult, type CliCommand } from '../command';
import { nodeEngineSpawner } from '../app-paths';
import { findElectronBinary } from '../electron-binary';

/** Version of an installed package, or null; found from its entry point since not every package exports package.json. */
function packageVersion(name: string): string | null {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve(name));
    while (dir !== path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      if (fs.existsSync(manifest)) {
        const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (json.name === name) return json.version ?? null;
      }
      dir = path.dirname(dir);
    }
    return null;
  } catch {
    return null;
  }
}

/** `graft doctor`: what this machine gives Graft (backend, versions, Electron binary). */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Check this machine: tfjs backend in use, versions, Electron binary.',
  usage: 'doctor [--speed] [--json]',
  details: ['Starts the engine process the way the app does and reports the backend it picked.', '--speed also times a matrix-multiply loop on that backend.'],
  options: { speed: { type: 'boolean' } },
  async run({ values, json, io }) {
    const engine = new EngineClient(nodeEngineSpawner());
    try {
      const hello = await engine.start();
      const speed = values.speed ? await engine.request('selfTest', { size: 256, iterations: 20 }) : null;
      const electronBinary = findElectronBinary();
      const report = {
        graft: APP_VERSION,
        backend: hello.backend,
        backendPackage: hello.backendPackage,
        tfjs: hello.tfjsVersion,
        node: process.versions.node,
        platform: process.platform,
        arch: process.arch,
        cpus: os.cpus().length,
        electron: electronBinary !== null,
        electronBinary,
        electronPackage: packageVersion('electron'),
        betterSqlite3: packageVersion('better-sqlite3'),
        sharp: packageVersion('sharp'),
        triedBackends: hello.tried,
        ...(speed ? { gflops: Number(speed.gflops.toFixed(2)) } : {}),
      };
      printResult(io, json, report, () =>
        [
          `Graft ${report.graft} on Node ${report.node} (${report.platform}/${report.arch}, ${report.cpus} cores)`,
          `tfjs ${report.tfjs}, backend: ${report.backend} (from ${report.backendPackage})`,
          ...hello.tried.map((t) => `  not used: ${t.pkg} — ${t.error}`),
          `Electron binary: ${electronBinary ?? 'not available (the desktop app cannot start here; use graft serve)'}`,
          ...(speed ? [`Speed: ${speed.gflops.toFixed(2)} GFLOP/s (matmul 256×256)`] : []),
        ].join('\n'),
      );
      return 0;
    } finally {
      engine.dispose();
    }
  },
};
