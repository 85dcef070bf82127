import type { ModelInfo } from '../../api/contract';
import { ARCH_NAMES, ARCHITECTURES } from './registry';
import { BUNDLED_BASES } from './weights/bundled-bases';

/** Every architecture with its sizes, parameter counts and weight sources, for the model picker; builds nothing. */
export function listModels(): ModelInfo[] {
  return ARCH_NAMES.map((arch) => {
    const spec = ARCHITECTURES[arch];
    const bundled = BUNDLED_BASES.find((b) => b.arch === arch);
    return {
      arch,
      name: spec.displayName,
      family: spec.family,
      defaultInputSize: spec.defaultInputSize,
      minInputSize: spec.minInputSize,
      preprocessing: spec.preprocessMode,
      params: { ...spec.params },
      weightSources: [...spec.weightSources],
      bundled: bundled
        ? { name: bundled.name, label: bundled.label, inputSize: bundled.inputSize, description: bundled.description, license: bundled.license }
        : null,
    };
  });
}
