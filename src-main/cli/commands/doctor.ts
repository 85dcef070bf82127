import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { GraftError } from '../../api/errors';
import type { OnnxRuntimeInfo } from '../../api/types/app';
import type { OnnxCheckResult } from '../../api/types/inference';
import { EngineClient } from '../../engine/host/engine-client';
import type { EngineSpawner } from '../../engine/host/engine-process';
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

/**
 * Why a backend package was not used, in words: a package that is simply not installed is an
 * option the user may take (the native backends are optional), not an error to decode.
 */
export function backendNotUsed(tried: { pkg: string; error: string }): string {
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(tried.error)?.[1];
  return missing === tried.pkg ? `not installed (optional: npm i ${tried.pkg})` : tried.error;
}

/** ONNX Runtime as one line: version and providers, or why it cannot be used. */
function onnxLine(onnx: OnnxRuntimeInfo): string[] {
  if (!onnx.available) return [`ONNX Runtime: not available (${onnx.error}); every model runs on TensorFlow.js`];
  return [
    `ONNX Runtime: onnxruntime-node ${onnx.version}, execution providers: ${onnx.providers.join(', ')}`,
    ...onnx.unavailable.map((u) => `  not usable: ${u.provider} — ${u.error}`),
  ];
}

/** The parity check's outcome, or why it could not run. */
type OnnxCheckOutcome = OnnxCheckResult | { error: string };

function checkLines(check: OnnxCheckOutcome): string[] {
  if ('error' in check) return [`ONNX parity check: could not run (${check.error})`];
  const verdict = check.agrees ? 'agree' : `DIFFER by more than ${check.tolerance.toExponential(0)}`;
  return [
    `ONNX parity check: ${check.model}, ${check.images} images, ${check.onnx} vs ${check.tfjs}: ${verdict}`,
    ...check.outputs.map((o) => `  ${o.layer} (${o.size} values): max|Δ| ${o.maxAbsDiff.toExponential(2)} (values up to ${o.maxAbs.toFixed(3)})`),
  ];
}

/** Makes `graft doctor`, starting engines with the given spawner (tests pick the backend). */
export function createDoctorCommand(spawner: () => EngineSpawner = () => nodeEngineSpawner()): CliCommand {
  return {
    name: 'doctor',
    summary: 'Check this machine: tfjs backend and ONNX Runtime in use, versions, Electron binary.',
    usage: 'doctor [--speed] [--onnx] [--json]',
    details: ['Starts the engine process the way the app does and reports the backend it picked and whether ONNX Runtime works.'],
    options: {
      speed: { type: 'boolean', description: 'also time a matrix-multiply loop on that backend' },
      onnx: {
        type: 'boolean',
        description: 'also run MobileNetV2 (bundled weights) with a small head through ONNX Runtime and TensorFlow.js on the same images and print the largest difference (Graft promises at most 1e-4)',
      },
    },
    async run({ values, json, io }) {
      const engine = new EngineClient(spawner());
      try {
        const hello = await engine.start();
        const speed = values.speed ? await engine.request('selfTest', { size: 256, iterations: 20 }) : null;
        const check: OnnxCheckOutcome | null = values.onnx
          ? await engine.request('onnxCheck', {}).catch((error: unknown) => {
              if (error instanceof GraftError && error.code === 'engine-unavailable') return { error: error.message };
              throw error;
            })
          : null;
        const electronBinary = findElectronBinary();
        const report = {
          graft: APP_VERSION,
          backend: hello.backend,
          backendPackage: hello.backendPackage,
          tfjs: hello.tfjsVersion,
          onnxRuntime: hello.onnx,
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
          ...(check ? { onnxCheck: check } : {}),
        };
        printResult(io, json, report, () =>
          [
            `Graft ${report.graft} on Node ${report.node} (${report.platform}/${report.arch}, ${report.cpus} cores)`,
            `tfjs ${report.tfjs}, backend: ${report.backend} (from ${report.backendPackage})`,
            ...hello.tried.map((t) => `  not used: ${t.pkg} — ${backendNotUsed(t)}`),
            ...onnxLine(hello.onnx),
            `Electron binary: ${electronBinary ?? 'not available (the desktop app cannot start here; use graft serve)'}`,
            ...(speed ? [`Speed: ${speed.gflops.toFixed(2)} GFLOP/s (matmul 256×256)`] : []),
            ...(check ? checkLines(check) : []),
          ].join('\n'),
        );
        return check && 'agrees' in check && !check.agrees ? 1 : 0;
      } finally {
        engine.dispose();
      }
    },
  };
}

/** `graft doctor`, with the engine started the way the CLI starts it. */
export const doctorCommand: CliCommand = createDoctorCommand();
