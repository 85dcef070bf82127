import type { CliCommand } from '../command';
import { doctorCommand } from './doctor';
import { initCommand } from './init';
import { modelSummaryCommand } from './model-summary';
import { modelsCommand } from './models';
import { serveCommand } from './serve';

/** Every CLI verb, in the order `graft --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [initCommand, serveCommand, doctorCommand, modelsCommand, modelSummaryCommand];
