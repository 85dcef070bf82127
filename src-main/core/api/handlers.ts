import type { ApiHandlers } from '../../api/dispatcher';
import type { AppContext } from '../app-context';
import { appApi } from './app-api';
import { engineApi } from './engine-api';
import { projectApi } from './project-api';

/** Every request handler of the contract, built over one app context. */
export function createHandlers(ctx: AppContext): ApiHandlers {
  return {
    ...appApi(ctx),
    ...projectApi(ctx),
    ...engineApi(ctx),
  };
}
