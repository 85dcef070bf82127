import type { LibraryChanged } from '../../api/contract';
import type { ApiHandlers } from '../../api/dispatcher';
import type { AppContext } from '../app-context';
import { appApi } from './app-api';
import { engineApi } from './engine-api';
import { jobsApi } from './jobs-api';
import { labelsApi } from './labels-api';
import { libraryApi } from './library-api';
import { libraryTransferApi } from './library-transfer-api';
import { modelsApi } from './models-api';
import { projectApi } from './project-api';
import { runsApi } from './runs-api';
import { useApi } from './use-api';

/** Every request handler of the contract, built over one app context. */
export function createHandlers(ctx: AppContext): ApiHandlers {
  const changed = (reason: LibraryChanged['reason']) => ctx.bus.emit('library.changed', { reason });
  return {
    ...appApi(ctx),
    ...projectApi(ctx),
    ...engineApi(ctx),
    ...jobsApi(ctx),
    ...modelsApi(ctx),
    ...libraryApi(ctx, changed),
    ...libraryTransferApi(ctx),
    ...labelsApi(ctx, changed),
    ...runsApi(ctx),
    ...useApi(ctx, changed),
  };
}
