import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli';
import { capture, countingSpawner, tempDir } from '../test-support/cli-fixtures';
import { createDemoCommand, type DemoReport } from './demo';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('graft-demo-test-')));
afterAll(() => cleanup());

describe('graft demo', () => {
  it('makes photos, a project, splits and a head-only run with --head-only, and reports them as JSON (smaller photos)', async () => {
    const started = performance.now();
    const io = capture();
    const target = path.join(dir, 'default');
    // The engine's own backend choice, as `npx graft demo` gets it (wasm here).
    expect(await runCli(['demo', '--dir', target, '--per-class', '10', '--input-size', '64', '--head-only', '--json'], [createDemoCommand(countingSpawner().spawner)], io)).toBe(0);
    const report = JSON.parse(io.stdout.join('')) as DemoReport;
    expect(report).toMatchObject({ dir: target, project: path.join(target, 'project'), classes: ['circles', 'squares', 'triangles'], images: 30, fineTuned: false });
    expect(report.splits.totals).toEqual({ train: 18, validation: 6, test: 6, none: 0 });
    expect(report.run.status).toBe('completed');
    expect(report.run.history.map((e) => e.stage)).toEqual(new Array<string>(15).fill('head'));
    expect(report.testAccuracy).toBe(report.run.test!.accuracy);
    expect(report.serve).toBe(`graft serve ${path.join(target, 'project')}`);
    expect(fs.readdirSync(path.join(target, 'photos')).sort()).toEqual(['circles', 'squares', 'triangles']);
    expect(fs.readdirSync(path.join(target, 'photos', 'circles'))).toHaveLength(10);
    console.info(`graft demo --per-class 10 --input-size 64 --head-only took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 180_000);

  it('by default fine-tunes the last block in a second stage (the two-stage recipe), and prints what it did, the accuracy and where the project is', async () => {
    const started = performance.now();
    const io = capture();
    const target = path.join(dir, 'fine-tune');
    // 32 px keeps block_16's gradients cheap enough for the cpu backend.
    expect(await runCli(['demo', '--dir', target, '--per-class', '10', '--input-size', '32'], [createDemoCommand(countingSpawner('cpu').spawner)], io)).toBe(0);
    const log = io.stderr.join('\n');
    expect(log).toContain(`1. Generated 30 labelled photos (circles, squares, triangles; 128×128 PNG) in ${path.join(target, 'photos')}`);
    expect(log).toContain(`2. Created the project ${path.join(target, 'project')} and imported 30 photos, labelled by their folder`);
    expect(log).toContain('3. Split each class 60/20/20 (seed 42): 18 train, 6 validation, 6 test');
    expect(log).toContain('4. Training MobileNetV2 (bundled weights, offline) at 32×32: the head for 15 epochs, then block_16 onwards with the head for 5 epochs at 0.01 × the learning rate…');
    expect(log).toMatch(/\[fine-tune\] epoch 20\/20: loss/);
    const out = io.stdout.join('\n');
    expect(out).not.toContain('Head only');
    expect(out).toMatch(/Test accuracy: \d\.\d{3} on 6 held-out photos \(best checkpoint\)\./);
    expect(out).toMatch(/true \\ predicted\s+circles\s+squares\s+triangles/);
    expect(out).toContain(`Open it in the app:  graft serve ${path.join(target, 'project')}`);
    console.info(`graft demo --per-class 10 --input-size 32 (cpu) took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);

  it.each([
    [['demo', 'somewhere'], /graft demo takes no arguments/],
    [['demo', '--per-class', '2'], /--per-class must be a whole number from 5 to 1000; got "2"/],
    [['demo', '--input-size', '16'], /--input-size must be at least 32 for MobileNetV2; got 16/],
    [['demo', '--dir', 'NONEMPTY'], /is not an empty folder; give --dir a new one/],
  ])('refuses %j before starting an engine', async (argv, message) => {
    const nonEmpty = path.join(dir, 'taken');
    fs.mkdirSync(nonEmpty, { recursive: true });
    fs.writeFileSync(path.join(nonEmpty, 'file.txt'), 'mine');
    const counter = countingSpawner();
    const io = capture();
    expect(await runCli([...argv.map((a) => (a === 'NONEMPTY' ? nonEmpty : a)), '--json'], [createDemoCommand(counter.spawner)], io)).toBe(2);
    expect(JSON.parse(io.stdout.join(''))).toEqual({ error: { code: 'bad-request', message: expect.stringMatching(message) } });
    expect(counter.spawns()).toBe(0);
    expect(fs.readdirSync(nonEmpty)).toEqual(['file.txt']);
  });
});
