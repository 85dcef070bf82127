import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  Tensor,
  Tensor4D,
  TensorInfo,
} from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { conv2dFilterGrad, conv2dInputGrad, depthwiseFilterGrad, depthwiseFilterGradByTaps, depthwiseInputGrad, isPlainConv } from './conv-gradients';
import { maxPoolGrad, type MaxPoolGradAttrs } from './pool-gradients';

// tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter or
// DepthwiseConv2dNativeBackpropInput, so no convolution trains on it. Measured here (batch 16,
// 2 shared cores) the cpu backend's kernels are far too slow to borrow (Conv2DBackpropFilter of
// a 1×1 160→960 layer at 7×7: ~9 s for 4 images vs 7 ms for 16 composed on wasm), so gradients
// are composed of the backend's fast forward kernels (conv-gradients.ts, pool-gradients.ts); a
// cpu kernel is only the fallback for what Keras Applications never build (dilation, NCHW).
// Kernels wasm does have are replaced where they are wrong or much slower than a composition:
// MaxPoolGrad (wrong for 'same' padding and odd sizes), Conv2DBackpropInput (a naive loop, 5–20×
// slower), BatchMatMul with a transpose flag (~10× slower than transposing first: it is every
// Dense layer's gradient) and Tile of a per-channel vector (~10× slower than a broadcast: it is
// in every BatchNormalization gradient). On the cpu backend the composed filter gradients replace
// its own, which are 40–60× (conv2d) and 1.5–4× (depthwise) slower; its other kernels are faster
// than the compositions and stay.

/** Marks kernel configs registered here; a global symbol, so it survives module reloads. */
const OURS = Symbol.for('graft.training-kernel');

interface OurConfig extends KernelConfig {
  [OURS]: { replaced: KernelConfig | null };
}

/** Computes a kernel from ordinary ops, or returns null when it cannot (then the fallback runs). */
type Composition = (tf: Tf, inputs: Record<string, Tensor>, attrs: NamedAttrMap) => Tensor | null;

interface TrainingKernel {
  kernelName: string;
  /** Backends whose kernel this one adds or replaces. */
  backends: readonly string[];
  compose: Composition;
}

/** Attribute maps arrive untyped; each composition reads them as the kernel declares them. */
function attrsAs<T>(attrs: NamedAttrMap): T {
  return attrs as unknown as T;
}

function input4d(inputs: Record<string, Tensor>, name: string): Tensor4D {
  const t = inputs[name];
  if (!t || t.rank !== 4) throw new Error(`Expected a rank-4 "${name}" input`);
  return t as Tensor4D;
}

const KERNELS: readonly TrainingKernel[] = [
  {
    kernelName: 'Conv2DBackpropFilter',
    backends: ['wasm', 'cpu'],
    compose: (tf, inputs, attrs) => {
      const a = attrsAs<Conv2DBackpropFilterAttrs>(attrs);
      return isPlainConv(a) ? conv2dFilterGrad(tf, input4d(inputs, 'x'), input4d(inputs, 'dy'), a) : null;
    },
  },
  {
    kernelName: 'Conv2DBackpropInput',
    backends: ['wasm'],
    compose: (tf, inputs, attrs) => {
      const a = attrsAs<Conv2DBackpropInputAttrs>(attrs);
      return isPlainConv(a) ? conv2dInputGrad(tf, input4d(inputs, 'dy'), input4d(inputs, 'filter'), a) : null;
    },
  },
  {
    kernelName: 'DepthwiseConv2dNativeBackpropFilter',
    backends: ['wasm', 'cpu'],
    compose: (tf, inputs, attrs) => {
      const a = attrsAs<DepthwiseConv2dNativeBackpropFilterAttrs>(attrs);
      if (!isPlainConv(a)) return null;
      const byTaps = tf.getBackend() === 'wasm' && a.filterShape[3] === 1;
      return (byTaps ? depthwiseFilterGradByTaps : depthwiseFilterGrad)(tf, input4d(inputs, 'x'), input4d(inputs, 'dy'), a);
    },
  },
  {
    kernelName: 'DepthwiseConv2dNativeBackpropInput',
    backends: ['wasm'],
    compose: (tf, inputs, attrs) => {
      const a = attrsAs<DepthwiseConv2dNativeBackpropInputAttrs>(attrs);
      return isPlainConv(a) ? depthwiseInputGrad(tf, input4d(inputs, 'dy'), input4d(inputs, 'filter'), a) : null;
    },
  },
  {
    kernelName: 'MaxPoolGrad',
    backends: ['wasm'],
    compose: (tf, inputs, attrs) => maxPoolGrad(tf, input4d(inputs, 'dy'), input4d(inputs, 'input'), input4d(inputs, 'output'), attrsAs<MaxPoolGradAttrs>(attrs)),
  },
  {
    kernelName: 'Tile',
    backends: ['wasm'],
    compose: (tf, inputs, attrs) => {
      const x = inputs['x'];
      const { reps } = attrsAs<{ reps: number[] }>(attrs);
      // Only a broadcast (every repeated axis has length 1), as BatchNorm's gradient tiles its
      // per-channel vectors; a multiply by ones is exact and ~10× faster than wasm's Tile. The
      // ones come from Fill: tf.ones writes them from JavaScript, ~15× slower at full size.
      if (!x || x.dtype !== 'float32' || reps.some((r, axis) => r > 1 && x.shape[axis] !== 1)) return null;
      return tf.tidy(() => tf.mul(x, tf.fill(x.shape.map((d, axis) => d * reps[axis]!), 1)));
    },
  },
  {
    kernelName: 'BatchMatMul',
    backends: ['wasm'],
    compose: (tf, inputs, attrs) => {
      const { transposeA, transposeB } = attrsAs<{ transposeA: boolean; transposeB: boolean }>(attrs);
      const a = inputs['a'];
      const b = inputs['b'];
      // Untransposed products go to wasm's own kernel (this is also where the call below lands).
      if ((!transposeA && !transposeB) || !a || !b) return null;
      return tf.tidy(() => tf.matMul(transposeA ? swapLastTwo(tf, a) : a, transposeB ? swapLastTwo(tf, b) : b));
    },
  },
];

/** A kernel of one backend. */
export interface KernelKey {
  kernelName: string;
  backendName: string;
}

/** Every kernel `installTrainingKernels` provides, per backend. */
export const TRAINING_KERNELS: readonly KernelKey[] = KERNELS.flatMap((k) => k.backends.map((backendName) => ({ kernelName: k.kernelName, backendName })));

function swapLastTwo(tf: Tf, t: Tensor): Tensor {
  const perm = [...t.shape.keys()];
  perm.splice(-2, 2, t.rank - 1, t.rank - 2);
  return tf.transpose(t, perm);
}

/**
 * Registers the training kernels: on wasm the gradient kernels it lacks plus replacements for the
 * wrong or slow ones, on cpu faster filter gradients. Idempotent (a second call changes nothing);
 * backends that are not registered are skipped. Call it once the backend is chosen, before
 * training; returns what it registered in this call.
 */
export function installTrainingKernels(tf: Tf, backends: readonly string[] = ['wasm', 'cpu']): KernelKey[] {
  const installed: KernelKey[] = [];
  for (const backendName of backends) {
    if (tf.getKernelsForBackend(backendName).length === 0) continue;
    for (const kernel of KERNELS) {
      if (!kernel.backends.includes(backendName)) continue;
      const existing = tf.getKernel(kernel.kernelName, backendName) as KernelConfig | undefined;
      if (existing && isOurs(existing)) continue;
      if (existing) tf.unregisterKernel(kernel.kernelName, backendName);
      const fallback = existing?.kernelFunc ?? delegateToCpu(tf, kernel.kernelName);
      const config: OurConfig = {
        kernelName: kernel.kernelName,
        backendName,
        kernelFunc: composedKernel(tf, kernel.compose, fallback),
        // The backend sets up (and later disposes) the native kernel through our config.
        ...(existing?.setupFunc ? { setupFunc: existing.setupFunc } : {}),
        ...(existing?.disposeFunc ? { disposeFunc: existing.disposeFunc } : {}),
        [OURS]: { replaced: existing ?? null },
      };
      tf.registerKernel(config);
      installed.push({ kernelName: kernel.kernelName, backendName });
    }
  }
  return installed;
}

/** Undoes `installTrainingKernels`: native kernels come back, added ones go (benchmarks compare both). */
export function uninstallTrainingKernels(tf: Tf, backends: readonly string[] = ['wasm', 'cpu']): void {
  for (const backendName of backends) {
    for (const kernel of KERNELS) {
      const existing = tf.getKernel(kernel.kernelName, backendName) as KernelConfig | undefined;
      if (!existing || !isOurs(existing)) continue;
      tf.unregisterKernel(kernel.kernelName, backendName);
      const replaced = existing[OURS].replaced;
      if (replaced) tf.registerKernel(replaced);
    }
  }
}

function isOurs(config: KernelConfig): config is OurConfig {
  return OURS in config;
}

/**
 * Wraps a composition as a kernel. Inputs arrive as bare TensorInfos of this backend: each is
 * lent to the engine as a Tensor (with an extra reference, so disposing the loan keeps the data)
 * and the result's data is handed back with one reference of its own.
 */
function composedKernel(tf: Tf, compose: Composition, fallback: KernelFunc): KernelFunc {
  return (params) => {
    const backend = params.backend as KernelBackend;
    const engine = tf.engine();
    const loans: Record<string, Tensor> = {};
    for (const [name, info] of Object.entries(params.inputs)) {
      if (!info) continue;
      backend.incRef(info.dataId);
      loans[name] = engine.makeTensorFromTensorInfo(info, backend);
    }
    try {
      const out = compose(tf, loans, params.attrs ?? {});
      if (!out) return fallback(params);
      backend.incRef(out.dataId);
      const result: TensorInfo = { dataId: out.dataId, shape: out.shape, dtype: out.dtype };
      out.dispose();
      return result;
    } finally {
      for (const loan of Object.values(loans)) loan.dispose();
    }
  };
}

/** Runs the cpu backend's kernel on copies of the inputs and copies the result back. */
function delegateToCpu(tf: Tf, kernelName: string): KernelFunc {
  return (params) => {
    const cpu = tf.findBackend('cpu') as KernelBackend | null;
    const kernel = tf.getKernel(kernelName, 'cpu') as KernelConfig | undefined;
    if (!cpu || !kernel) throw new Error(`${kernelName} has no implementation for this backend and the cpu backend is unavailable.`);
    const backend = params.backend as KernelBackend;
    const copies: Record<string, TensorInfo> = {};
    for (const [name, info] of Object.entries(params.inputs)) {
      if (!info) continue;
      copies[name] = { dataId: cpu.write(backend.readSync(info.dataId), info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
    }
    try {
      const out = kernel.kernelFunc({ inputs: copies, backend: cpu, attrs: params.attrs ?? {} });
      if (Array.isArray(out)) throw new Error(`${kernelName}: multi-output kernels are not delegated.`);
      const values = cpu.readSync(out.dataId);
      cpu.disposeData(out.dataId);
      return { dataId: backend.write(values, out.shape, out.dtype), shape: out.shape, dtype: out.dtype };
    } finally {
      for (const copy of Object.values(copies)) cpu.disposeData(copy.dataId);
    }
  };
}
