import type { ProjectInfo } from '../../api/types/app';
import type { HandlerSlice } from '../../api/dispatcher';
import { GraftError } from '../../api/errors';
import type { AppContext } from '../app-context';

/** Changes the open project, refusing while a job still writes to the current one, and tells every view. */
function switchTo(ctx: AppContext, open: () => ProjectInfo): ProjectInfo {
  if (ctx.jobs.busy) throw new GraftError('bad-request', 'A job (import, export …) is still running in this project. Wait for it or cancel it first.');
  const info = open();
  ctx.bus.emit('library.changed', { reason: 'project' });
  return info;
}

/** Handlers for opening and creating projects. */
export function projectApi(ctx: AppContext): HandlerSlice<'project.current' | 'project.open' | 'project.create' | 'project.pickFolder'> {
  return {
    'project.current': () => ctx.session.current?.info() ?? null,
    'project.open': ({ dir }) => switchTo(ctx, () => ctx.session.open(dir)),
    'project.create': ({ dir }) => switchTo(ctx, () => ctx.session.create(dir)),
    'project.pickFolder': async () => (ctx.options.pickFolder ? ctx.options.pickFolder() : null),
  };
}
