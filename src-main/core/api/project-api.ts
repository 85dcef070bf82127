import type { HandlerSlice } from '../../api/dispatcher';
import type { AppContext } from '../app-context';
import { requireString } from './validate';

/** Handlers for opening and creating projects. */
export function projectApi(ctx: AppContext): HandlerSlice<'project.current' | 'project.open' | 'project.create' | 'project.pickFolder'> {
  return {
    'project.current': () => ctx.session.current?.info() ?? null,
    'project.open': (params) => ctx.session.open(requireString(params, 'dir')),
    'project.create': (params) => ctx.session.create(requireString(params, 'dir')),
    'project.pickFolder': async () => (ctx.options.pickFolder ? ctx.options.pickFolder() : null),
  };
}
