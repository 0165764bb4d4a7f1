/**
 * Adam and the weight average as one WebGPU program per output instead of
 * one per arithmetic op. Op by op, Adam costs twelve launches a variable
 * (and uploads its five constants as scalar tensors, each through a staging
 * buffer); here it is three launches — new first moment, new second moment,
 * new weights, each read from the old state so that they need no order —
 * with the constants as uniforms. The average is one launch instead of
 * three. The arithmetic is the op-by-op form's, term for term and with the
 * complements (1 − β) computed on the CPU as they were, so the two differ
 * only where a GPU contracts a multiply and an add.
 */
import { tf } from '../tf.js';
import { ADAM_KERNEL, EMA_KERNEL } from '../fused-kernels.js';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
interface WebGpuBackendLike {
  runWebGPUProgram(program: object, inputs: TensorInfo[], dtype: string, uniforms: { type: string; data: number[] }[]): TensorInfo;
}

const WORKGROUP = 64;
/** WebGPU's default limit of workgroups per dimension: past it the launch goes two-dimensional. */
const MAX_GROUPS = 65535;

/** One thread per element: x, then y when a variable has more than 65,535 × 64 elements (the package's global index covers both). */
export function flatDispatch(size: number): [number, number, number] {
  const groups = Math.ceil(size / WORKGROUP);
  return groups <= MAX_GROUPS ? [groups, 1, 1] : [MAX_GROUPS, Math.ceil(groups / MAX_GROUPS), 1];
}

class ElementwiseProgram {
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  size = true;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  outputShape: number[];

  constructor(
    readonly shaderKey: string,
    readonly variableNames: string[],
    readonly uniforms: string,
    private readonly body: string,
    shape: number[],
  ) {
    this.outputShape = shape;
    this.dispatchLayout = { x: shape.map((_, i) => i) };
    this.dispatch = flatDispatch(shape.reduce((a, b) => a * b, 1));
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${this.body}
        }
      }
    `;
  }
}

const MOMENT = 'setOutputAtIndex(index, uniforms.beta * mom[index] + uniforms.rest * grad[index]);';
const SECOND_MOMENT = 'let g = grad[index]; setOutputAtIndex(index, uniforms.beta * mom[index] + (g * g) * uniforms.rest);';
const PARAM = `
  let g = grad[index];
  let m = uniforms.beta1 * mom1[index] + uniforms.rest1 * g;
  let v = uniforms.beta2 * mom2[index] + (g * g) * uniforms.rest2;
  setOutputAtIndex(index, param[index] - (m * uniforms.stepSize) / (sqrt(v) + uniforms.eps));`;
const AVERAGE = 'setOutputAtIndex(index, avg[index] * uniforms.decay + src[index] * uniforms.rest);';

type AdamArgs = {
  inputs: { x: TensorInfo; g: TensorInfo; m: TensorInfo; v: TensorInfo };
  backend: WebGpuBackendLike;
  attrs: { beta1: number; beta2: number; stepSize: number; eps: number };
};

function adam({ inputs, backend, attrs }: AdamArgs): TensorInfo[] {
  const { x, g, m, v } = inputs;
  const { beta1, beta2, stepSize, eps } = attrs;
  const f = (data: number) => ({ type: 'float32', data: [data] });
  const m1 = backend.runWebGPUProgram(new ElementwiseProgram('ganStudioAdamM', ['mom', 'grad'], 'beta : f32, rest : f32,', MOMENT, x.shape), [m, g], 'float32', [f(beta1), f(1 - beta1)]);
  const v1 = backend.runWebGPUProgram(new ElementwiseProgram('ganStudioAdamV', ['mom', 'grad'], 'beta : f32, rest : f32,', SECOND_MOMENT, x.shape), [v, g], 'float32', [f(beta2), f(1 - beta2)]);
  const x1 = backend.runWebGPUProgram(
    new ElementwiseProgram('ganStudioAdamX', ['param', 'grad', 'mom1', 'mom2'], 'beta1 : f32, rest1 : f32, beta2 : f32, rest2 : f32, stepSize : f32, eps : f32,', PARAM, x.shape),
    [x, g, m, v],
    'float32',
    [f(beta1), f(1 - beta1), f(beta2), f(1 - beta2), f(stepSize), f(eps)],
  );
  return [x1, m1, v1];
}

type EmaArgs = { inputs: { average: TensorInfo; source: TensorInfo }; backend: WebGpuBackendLike; attrs: { decay: number } };

function ema({ inputs, backend, attrs }: EmaArgs): TensorInfo {
  const { average, source } = inputs;
  return backend.runWebGPUProgram(new ElementwiseProgram('ganStudioEma', ['avg', 'src'], 'decay : f32, rest : f32,', AVERAGE, average.shape), [average, source], 'float32', [
    { type: 'float32', data: [attrs.decay] },
    { type: 'float32', data: [1 - attrs.decay] },
  ]);
}

export function registerFusedUpdates(): void {
  if (tf.getKernel(ADAM_KERNEL, 'webgpu')) return;
  tf.registerKernel({ kernelName: ADAM_KERNEL, backendName: 'webgpu', kernelFunc: adam as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: EMA_KERNEL, backendName: 'webgpu', kernelFunc: ema as unknown as tf.KernelFunc });
}
