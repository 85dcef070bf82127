import type { CliCommand } from '../command';
import { classifyCommand } from './classify';
import { doctorCommand } from './doctor';
import { embedCommand } from './embed';
import { importCommand } from './import';
import { initCommand } from './init';
import { labelsCommand } from './labels';
import { modelSummaryCommand } from './model-summary';
import { modelsCommand } from './models';
import { serveCommand } from './serve';

/** Every CLI verb, in the order `graft --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  initCommand,
  importCommand,
  labelsCommand,
  serveCommand,
  doctorCommand,
  modelsCommand,
  modelSummaryCommand,
  classifyCommand,
  embedCommand,
];
