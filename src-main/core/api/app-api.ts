import type { HandlerSlice } from '../../api/dispatcher';
import type { AppContext } from '../app-context';
import { APP_VERSION } from '../app-version';

/** Handlers for app-level requests. */
export function appApi(ctx: AppContext): HandlerSlice<'app.info'> {
  return {
    'app.info': () => ({ version: APP_VERSION, mode: ctx.options.mode, canPickFolder: ctx.options.pickFolder !== undefined }),
  };
}
