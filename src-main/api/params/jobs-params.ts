/** Parameter parsers of the job requests and the engine self-test. */
import { object, positiveInt, str } from '../../base/parse';

/** `jobs.get`, `jobs.cancel`, `jobs.pause`, `jobs.resume`: the job's id. */
export const jobIdParams = object({ jobId: str({ nonEmpty: true, maxLength: 200 }) });

/** `engine.selfTest`: a matrix side and a number of multiplications. */
export const selfTestParams = object({ size: positiveInt(4096), iterations: positiveInt(10_000) });
