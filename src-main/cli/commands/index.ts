import type { CliCommand } from '../command';
import { classifyCommand } from './classify';
import { demoCommand } from './demo';
import { doctorCommand } from './doctor';
import { embedCommand } from './embed';
import { evaluateCommand } from './evaluate';
import { exportCommand } from './export';
import { importCommand } from './import';
import { initCommand } from './init';
import { labelsCommand } from './labels';
import { lrFindCommand } from './lr-find';
import { modelSummaryCommand } from './model-summary';
import { modelsCommand } from './models';
import { predictCommand } from './predict';
import { runsCommand } from './runs';
import { serveCommand } from './serve';
import { splitsCommand } from './splits';
import { suggestCommand } from './suggest';
import { trainCommand } from './train';

/** Every CLI verb, in the order `graft --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  demoCommand,
  initCommand,
  importCommand,
  labelsCommand,
  splitsCommand,
  trainCommand,
  runsCommand,
  evaluateCommand,
  exportCommand,
  predictCommand,
  suggestCommand,
  lrFindCommand,
  serveCommand,
  doctorCommand,
  modelsCommand,
  modelSummaryCommand,
  classifyCommand,
  embedCommand,
];
